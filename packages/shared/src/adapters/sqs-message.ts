/**
 * One received SQS message, start to end: a visibility heartbeat while the handler runs,
 * the transport-neutral delivery rules (bus-delivery.ts), then the outcome in SQS terms:
 * ack = DeleteMessage; retry = ChangeMessageVisibility to the backoff delay (it comes back
 * after it); dead-letter = SendMessage to the DLQ with the reason, then DeleteMessage;
 * release = ChangeMessageVisibility 0 (redelivered at once).
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { fromSqsBody } from '../events/codec-sqs.js';
import type { Logger } from '../logger.js';
import type { BackoffOptions } from '../retry.js';
import type { Delivery, EventHandler, RawHandler } from '../ports/bus.js';
import type { Carrier } from '../telemetry/propagation.js';
import { consumerSpanAttributes, deliver, parseJsonBody, traceCarrier, type DeliveryOutcome } from '../bus-delivery.js';
import type { InFlightWork } from '../bus-delivery-slots.js';
import { sendToDeadLetter } from './sqs-dead-letter.js';

/** SQS's ceiling for a visibility timeout: 12 hours, in seconds. */
export const MAX_VISIBILITY_SECONDS = 43_200;

export type SqsHandlerMode =
  | { kind: 'event'; handler: EventHandler; allowMissingJobId?: boolean }
  | { kind: 'raw'; handler: RawHandler };

export interface SqsMessageContext {
  client: SQSClient;
  topic: string;
  queueUrl: string;
  deadLetterUrl: () => Promise<string>;
  mode: SqsHandlerMode;
  maxAttempts: number;
  visibilityTimeoutSeconds: number;
  backoff?: Partial<BackoffOptions>;
  logger: Logger;
}

const TRACE_ATTRIBUTES = ['traceparent', 'tracestate'] as const;

function hopCarrier(message: Message): Carrier {
  const carrier: Carrier = {};
  for (const name of TRACE_ATTRIBUTES) carrier[name] = message.MessageAttributes?.[name]?.StringValue;
  return carrier;
}

function traceAttributes(message: Message): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const name of TRACE_ATTRIBUTES) {
    const value = message.MessageAttributes?.[name]?.StringValue;
    if (value) out[name] = { DataType: 'String', StringValue: value };
  }
  return out;
}

function setVisibility(ctx: SqsMessageContext, message: Message, seconds: number): Promise<unknown> {
  return ctx.client.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: ctx.queueUrl,
      ReceiptHandle: message.ReceiptHandle!,
      VisibilityTimeout: Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(seconds))),
    }),
  );
}

/** Makes the message visible again at once: for work stop() gave up on. */
export function releaseSqsMessage(ctx: SqsMessageContext, message: Message): Promise<unknown> {
  return setVisibility(ctx, message, 0);
}

/**
 * Extends the visibility every third of the timeout (default 30 s → every 10 s), so a long
 * handler keeps its message while a dead consumer's message comes back within one timeout.
 */
function startHeartbeat(ctx: SqsMessageContext, message: Message): () => void {
  const everyMs = (ctx.visibilityTimeoutSeconds * 1000) / 3;
  const timer = setInterval(() => {
    setVisibility(ctx, message, ctx.visibilityTimeoutSeconds).catch((err: unknown) => {
      ctx.logger.warn({ err, topic: ctx.topic, messageId: message.MessageId }, 'visibility heartbeat failed');
    });
  }, everyMs);
  return () => clearInterval(timer);
}

function run(ctx: SqsMessageContext, message: Message, delivery: Delivery): Promise<DeliveryOutcome> {
  const body = message.Body ?? '';
  const common = {
    delivery,
    spanName: `process ${ctx.topic}`,
    attributes: consumerSpanAttributes('aws_sqs', delivery),
    ...(ctx.backoff ? { backoff: ctx.backoff } : {}),
  };
  const { mode } = ctx;
  if (mode.kind === 'event') {
    return deliver({
      ...common,
      decode: () => fromSqsBody(body, { allowMissingJobId: mode.allowMissingJobId ?? false }),
      carrier: (event) => traceCarrier(hopCarrier(message), event),
      handler: mode.handler,
    });
  }
  return deliver({ ...common, decode: () => parseJsonBody(body), carrier: () => hopCarrier(message), handler: mode.handler });
}

async function apply(ctx: SqsMessageContext, message: Message, attempt: number, outcome: DeliveryOutcome): Promise<void> {
  const remove = () =>
    ctx.client.send(new DeleteMessageCommand({ QueueUrl: ctx.queueUrl, ReceiptHandle: message.ReceiptHandle! }));
  const log = { topic: ctx.topic, messageId: message.MessageId, attempt };
  switch (outcome.kind) {
    case 'ack':
      await remove();
      return;
    case 'retry':
      ctx.logger.debug({ ...log, delayMs: outcome.delayMs, err: outcome.error }, 'handler failed; retrying after backoff');
      await setVisibility(ctx, message, outcome.delayMs / 1000);
      return;
    case 'dead-letter':
      ctx.logger.warn({ ...log, reason: outcome.reason }, 'message dead-lettered');
      await sendToDeadLetter(ctx.client, await ctx.deadLetterUrl(), {
        body: message.Body ?? '',
        reason: outcome.reason,
        attempts: attempt,
        topic: ctx.topic,
        traceAttributes: traceAttributes(message),
      });
      await remove();
      return;
    case 'release':
      await releaseSqsMessage(ctx, message);
      return;
  }
}

/** Never throws: SQS failures are logged, and the message then comes back by itself. */
export async function handleSqsMessage(ctx: SqsMessageContext, message: Message, work: InFlightWork): Promise<void> {
  const attempt = Math.max(1, Number(message.Attributes?.ApproximateReceiveCount ?? '1') || 1);
  const delivery: Delivery = {
    topic: ctx.topic,
    attempt,
    maxAttempts: ctx.maxAttempts,
    signal: work.signal,
    messageId: message.MessageId ?? '',
  };
  const stopHeartbeat = startHeartbeat(ctx, message);
  let outcome: DeliveryOutcome;
  try {
    outcome = await run(ctx, message, delivery);
  } finally {
    stopHeartbeat();
  }
  if (work.givenBack) return; // stop() released it already; the late result changes nothing
  try {
    await apply(ctx, message, attempt, outcome);
  } catch (err) {
    ctx.logger.error({ err, topic: ctx.topic, messageId: message.MessageId, outcome: outcome.kind }, 'could not settle message; SQS will redeliver it');
  }
}
