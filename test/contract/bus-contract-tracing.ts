/**
 * Registers a real OpenTelemetry SDK for the contract's trace case: a tracer provider so
 * spans carry ids, the AsyncLocalStorage context manager so the active span follows awaits,
 * and the W3C propagator (traceparent / tracestate) the adapters inject and extract.
 * Nothing is exported anywhere; the ids are read from the active span in the handler.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

let installed = false;

/**
 * Idempotent. If another test file registered its own SDK first, the global calls return
 * false and that SDK is used instead, which serves the same purpose.
 */
export function installTestTracing(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider());
}

/** The trace and span id of the active span, if any. */
export function activeSpanIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/** Runs `fn` inside a fresh active span; returns its result and the span's trace id. */
export async function inTestSpan<T>(name: string, fn: () => Promise<T>): Promise<{ result: T; traceId: string }> {
  return trace.getTracer('contract-test').startActiveSpan(name, async (span) => {
    try {
      const result = await fn();
      return { result, traceId: span.spanContext().traceId };
    } finally {
      span.end();
    }
  });
}
