import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { trace } from '@opentelemetry/api';
import { currentTraceparent, injectTraceContext, withConsumerSpan } from './propagation.js';
import { createTestTracing } from './test-tracing.js';

const tracing = suite('createTestTracing');

tracing('is a function returning exporter, spans, reset and shutdown', async () => {
  assert.type(createTestTracing, 'function');
  const t = createTestTracing();
  assert.type(t.spans, 'function');
  assert.type(t.reset, 'function');
  await t.shutdown();
});

tracing('records finished spans and carries context across awaits and hops', async () => {
  const t = createTestTracing();
  try {
    const carrier: Record<string, string> = {};
    let producerTrace = '';
    await trace.getTracer('test').startActiveSpan('publish', async (span) => {
      await Promise.resolve();
      injectTraceContext(carrier);
      producerTrace = span.spanContext().traceId;
      span.end();
    });
    await withConsumerSpan('process', carrier, {}, async () => {
      assert.match(currentTraceparent() ?? '', producerTrace);
    });
    const names = t.spans().map((s) => s.name);
    assert.equal(names, ['publish', 'process']);
    assert.is(t.spans()[1]!.spanContext().traceId, producerTrace);
    t.reset();
    assert.is(t.spans().length, 0);
  } finally {
    await t.shutdown();
  }
});

tracing('after shutdown a new one can register (one per test file in a shared process)', async () => {
  const first = createTestTracing();
  await first.shutdown();
  const second = createTestTracing();
  try {
    trace.getTracer('test').startSpan('recorded by the second').end();
    assert.equal(second.spans().map((s) => s.name), ['recorded by the second']);
    assert.is(first.spans().length, 0);
  } finally {
    await second.shutdown();
  }
});

tracing.run();
