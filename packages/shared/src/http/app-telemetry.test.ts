import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { waitFor } from '../../../../test/harness/support.js';
import { silentLogger } from '../logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createTestTracing, type TestTracing } from '../telemetry/test-tracing.js';
import { createHttpApp, type HttpApp } from './app.js';
import { createRouter } from './router.js';
import { listen, type Served } from './serve.js';

interface Ctx { served: Served; http: HttpApp; tracing: TestTracing }

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_SPAN_ID = 'b7ad6b7169203331';

const telemetry = suite<Ctx>('createHttpApp telemetry', {} as Ctx);

telemetry.before(async (ctx) => {
  ctx.tracing = createTestTracing();
  const router = createRouter({ prefix: '/v1' });
  router.get('/jobs/:id', (c) => { c.body = { id: c.params.id }; });
  router.get('/broken', () => { throw new Error('kaput'); });
  ctx.http = createHttpApp({
    service: 'telemetry-test', logger: silentLogger(), metrics: createMetrics({ service: 'telemetry-test' }),
    routers: [router],
    readiness: [{ name: 'kafka', check: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))), timeoutMs: 50 }],
  });
  ctx.served = await listen(ctx.http.app, { port: 0, host: '127.0.0.1' });
});

telemetry.after(async (ctx) => {
  await ctx.served.close(1_000);
  await ctx.tracing.shutdown();
});

telemetry('GET /metrics serves Prometheus text with the default metrics and the service label', async ({ served }) => {
  const res = await fetch(`${served.url}/metrics`);
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', 'text/plain');
  const text = await res.text();
  assert.match(text, /process_cpu_user_seconds_total\{service="telemetry-test"\}/);
  assert.match(text, 'nodejs_eventloop_lag_seconds');
});

telemetry('a request is counted under its route template, not its raw path', async ({ served }) => {
  for (const id of ['job-1', 'job-2']) assert.is((await fetch(`${served.url}/v1/jobs/${id}`)).status, 200);
  await fetch(`${served.url}/no/such/${Date.now()}`);
  const text = await waitFor(async () => {
    const body = await (await fetch(`${served.url}/metrics`)).text();
    return body.includes('ap_http_requests_total{route="/v1/jobs/:id",method="GET",status="200"} 2') ? body : undefined;
  }, 'both requests counted', { timeoutMs: 5_000 });
  assert.not.match(text, 'job-1');
  assert.match(text, 'ap_http_requests_total{route="unmatched",method="GET",status="404"} 1');
  assert.match(text, /ap_http_request_duration_seconds_count\{route="\/v1\/jobs\/:id",method="GET",status="200"\} 2/);
});

telemetry('X-Request-Id is echoed when sane and made up otherwise', async ({ served }) => {
  const given = await fetch(`${served.url}/healthz`, { headers: { 'x-request-id': 'req-42.a' } });
  assert.is(given.headers.get('x-request-id'), 'req-42.a');
  const hostile = await fetch(`${served.url}/healthz`, { headers: { 'x-request-id': 'a b\tinjected' } });
  assert.match(hostile.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  const none = await fetch(`${served.url}/healthz`);
  assert.match(none.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
});

telemetry('an incoming traceparent makes the server span a child in that trace', async ({ served, tracing }) => {
  tracing.reset();
  const res = await fetch(`${served.url}/v1/jobs/j-7`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` } });
  assert.is(res.status, 200);
  const span = await waitFor(() => tracing.spans().find((s) => s.name === 'GET /v1/jobs/:id'), 'server span ended', { timeoutMs: 5_000 });
  assert.is(span.kind, SpanKind.SERVER);
  assert.is(span.spanContext().traceId, TRACE_ID);
  assert.is(span.parentSpanContext?.spanId, PARENT_SPAN_ID);
  assert.is(span.attributes['http.route'], '/v1/jobs/:id');
  assert.is(span.attributes['http.response.status_code'], 200);
  assert.is(span.status.code, SpanStatusCode.UNSET);
});

telemetry('without a traceparent the server span starts a new trace; a 5xx marks it as an error', async ({ served, tracing }) => {
  tracing.reset();
  assert.is((await fetch(`${served.url}/v1/broken`)).status, 500);
  const span = await waitFor(() => tracing.spans().find((s) => s.name === 'GET /v1/broken'), 'server span ended', { timeoutMs: 5_000 });
  assert.is(span.parentSpanContext, undefined);
  assert.not.equal(span.spanContext().traceId, TRACE_ID);
  assert.is(span.status.code, SpanStatusCode.ERROR);
  assert.ok(span.events.some((e) => e.name === 'exception'), 'the exception is recorded on the span');
});

telemetry('a readiness check that does not answer in time fails /readyz', async ({ served }) => {
  const res = await fetch(`${served.url}/readyz`);
  assert.is(res.status, 503);
  const body = (await res.json()) as { failed: string[]; checks: Record<string, { error: string }> };
  assert.equal(body.failed, ['kafka']);
  assert.match(body.checks.kafka?.error ?? '', 'no answer within 50 ms');
});

telemetry('after drain() /readyz answers 503 naming shutdown while /healthz stays 200', async ({ served, http }) => {
  http.drain();
  const res = await fetch(`${served.url}/readyz`);
  assert.is(res.status, 503);
  assert.ok(((await res.json()) as { failed: string[] }).failed.includes('shutdown'));
  assert.is((await fetch(`${served.url}/healthz`)).status, 200);
});

telemetry.run();
