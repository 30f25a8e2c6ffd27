/**
 * What happens to one message once a handler has run, the same for every Bus adapter
 * (DESIGN §4): success acks; a retriable failure is retried with backoff until
 * maxAttempts; a non-retriable one, a malformed message or the last attempt goes to the
 * dead-letter destination with the error attached; work aborted by stop() is given back.
 * Adapters only translate the outcome into their transport's calls.
 */
import { ErrorCode, PipelineError, toPipelineError } from './errors.js';
import type { PipelineEvent } from './events/envelope.js';
import type { Delivery } from './ports/bus.js';
import { computeDelay, type BackoffOptions } from './retry.js';
import { withConsumerSpan, type Carrier } from './telemetry/propagation.js';

export type DeliveryOutcome =
  /** Handled: delete / commit. */
  | { kind: 'ack' }
  /** Try again after `delayMs`; `error` is what failed this attempt. */
  | { kind: 'retry'; delayMs: number; error: PipelineError }
  /** Give up: move to the dead-letter destination with `reason`, then ack the original. */
  | { kind: 'dead-letter'; reason: { code: string; message: string }; error: PipelineError }
  /** Stopped mid-handler: neither ack nor dead-letter; make it visible again at once. */
  | { kind: 'release' };

export type HandlerResult = { ok: true } | { ok: false; error: unknown };

export interface OutcomeContext {
  attempt: number;
  maxAttempts: number;
  /** The delivery's signal fired (stop deadline passed): whatever the handler did, release. */
  aborted: boolean;
  backoff?: Partial<BackoffOptions>;
  /** Random source for the jitter; a parameter so tests can pin it. */
  random?: () => number;
}

/** Classifies a handler's result into what the transport must do with the message. */
export function decideOutcome(result: HandlerResult, ctx: OutcomeContext): DeliveryOutcome {
  if (ctx.aborted) return { kind: 'release' };
  if (result.ok) return { kind: 'ack' };
  const error = toPipelineError(result.error);
  if (error.retriable && ctx.attempt < ctx.maxAttempts) {
    return { kind: 'retry', delayMs: computeDelay(ctx.attempt, ctx.backoff, ctx.random), error };
  }
  return { kind: 'dead-letter', reason: { code: error.code, message: error.message }, error };
}

/** The INVALID_EVENT error for a raw body that is not JSON at all. */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw new PipelineError(`invalid message: body is not JSON (${(err as Error).message})`, {
      code: ErrorCode.INVALID_EVENT,
      retriable: false,
    });
  }
}

/**
 * The carrier for the consumer span: the per-hop context the transport carried
 * (SQS attributes, Kafka headers), else the event's own traceparent extension.
 */
export function traceCarrier(hop: Carrier, event?: Pick<PipelineEvent, 'traceparent' | 'tracestate'>): Carrier {
  if (hop.traceparent) return { traceparent: hop.traceparent, tracestate: hop.tracestate };
  return { traceparent: event?.traceparent, tracestate: event?.tracestate };
}

export interface DeliverInput<T> {
  /** Turns the wire message into what the handler gets; throws INVALID_EVENT if it can't. */
  decode: () => T;
  /** Trace context for the consumer span, given the decoded value. */
  carrier: (value: T) => Carrier;
  handler: (value: T, delivery: Delivery) => Promise<void>;
  delivery: Delivery;
  /** e.g. 'sqs receive artifacts.commands.zip'. */
  spanName: string;
  attributes: Record<string, string | number | boolean>;
  backoff?: Partial<BackoffOptions>;
}

/**
 * Decodes, runs the handler inside a consumer span, and classifies the result. Never
 * throws: a decoding failure or any thrown value becomes an outcome.
 */
export async function deliver<T>(input: DeliverInput<T>): Promise<DeliveryOutcome> {
  const { delivery } = input;
  let result: HandlerResult;
  try {
    const decoded = input.decode();
    await withConsumerSpan(input.spanName, input.carrier(decoded), input.attributes, () =>
      input.handler(decoded, delivery),
    );
    result = { ok: true };
  } catch (error) {
    result = { ok: false, error };
  }
  return decideOutcome(result, {
    attempt: delivery.attempt,
    maxAttempts: delivery.maxAttempts,
    aborted: delivery.signal.aborted,
    ...(input.backoff ? { backoff: input.backoff } : {}),
  });
}

/** OpenTelemetry messaging attributes for a consumer span (semantic conventions 1.x). */
export function consumerSpanAttributes(
  system: string,
  delivery: Pick<Delivery, 'topic' | 'messageId' | 'attempt'>,
): Record<string, string | number> {
  return {
    'messaging.system': system,
    'messaging.operation.type': 'process',
    'messaging.destination.name': delivery.topic,
    'messaging.message.id': delivery.messageId,
    'artifact_pipeline.delivery.attempt': delivery.attempt,
  };
}
