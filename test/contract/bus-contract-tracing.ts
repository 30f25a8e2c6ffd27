/**
 * Registers a real OpenTelemetry SDK for the contract's trace case: a tracer provider so
 * spans carry ids, the AsyncLocalStorage context manager so the active span follows awaits,
 * and the W3C propagator (traceparent / tracestate) the adapters inject and extract.
 * Nothing is exported anywhere; the ids are read from the active span in the handler.
 * This case only needs ids, and must not unregister a working SDK another suite set up.
 */
import { context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

/** Whether spans get real ids, become active, and reach a carrier as `traceparent`. */
function tracingWorks(): boolean {
  return trace.getTracer('contract-probe').startActiveSpan('probe', (span) => {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    span.end();
    return isSpanContextValid(span.spanContext()) && trace.getActiveSpan() === span && carrier.traceparent !== undefined;
  });
}

/**
 * Registers the SDK unless a working one is registered already (another suite's in the
 * same process serves as well); replaces a partial or disabled registration.
 */
export function installTestTracing(): void {
  if (tracingWorks()) return;
  trace.disable();
  propagation.disable();
  context.disable();
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
