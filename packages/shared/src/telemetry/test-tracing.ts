/**
 * In-memory tracing for tests: every finished span lands in an array the test can read.
 * Registers globally what the SDK would (tracer provider, W3C trace context + baggage
 * propagator, AsyncLocalStorage context manager), so code under test that uses only
 * @opentelemetry/api records real spans. One per test file; shut it down in `after`.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export interface TestTracing {
  exporter: InMemorySpanExporter;
  /** Spans finished so far, oldest first. */
  spans(): ReadableSpan[];
  /** Forgets the spans finished so far. */
  reset(): void;
  /** Stops recording and unregisters the globals, so the next test file can register its own. */
  shutdown(): Promise<void>;
}

export function createTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // The API refuses to replace a registered global; clear whatever was there first.
  unregisterGlobals();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async shutdown() {
      await provider.shutdown();
      unregisterGlobals();
    },
  };
}

function unregisterGlobals(): void {
  trace.disable();
  propagation.disable();
  context.disable();
}
