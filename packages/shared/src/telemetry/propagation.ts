/**
 * W3C trace context across every hop (DESIGN §3): injected into Kafka headers and SQS
 * message attributes on publish, extracted on consume so the handler's span joins the
 * job's trace. Works without an SDK installed (the API is then a no-op).
 */
import { context, propagation, trace, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';

export type Carrier = Record<string, string | undefined>;

const TRACER_NAME = 'artifact-pipeline';

/** Writes `traceparent` (and `tracestate`) of the active context into `carrier`. */
export function injectTraceContext(carrier: Record<string, string>): void {
  propagation.inject(context.active(), carrier);
}

/**
 * Runs `fn` inside a consumer span whose parent is the context found in `carrier`
 * (falling back to `fallback`, e.g. the CloudEvent's own traceparent extension).
 */
export async function withConsumerSpan<T>(
  name: string,
  carrier: Carrier,
  attributes: Record<string, string | number | boolean>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), carrier);
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : new Error(String(err)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Runs `fn` inside a producer span so the injected context names this publish. */
export async function withProducerSpan<T>(
  name: string,
  attributes: Record<string, string | number | boolean>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(name, { kind: SpanKind.PRODUCER, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The traceparent of the active span, for the CloudEvents `traceparent` extension. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}
