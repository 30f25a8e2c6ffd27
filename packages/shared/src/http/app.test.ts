import { request } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, PipelineError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createHttpApp } from './app.js';
import { jsonBody } from './json-body.js';
import { createRouter } from './router.js';
import { listen, type Served } from './serve.js';

interface Ctx { served: Served; redisDown: boolean }

async function start(ctx: Ctx): Promise<void> {
  const router = createRouter({ prefix: '/v1' });
  router.get('/things/:id', (c) => { c.body = { id: c.params.id }; });
  router.post('/things', jsonBody({ limitBytes: 64 }), (c) => { c.status = 201; c.body = { got: c.request.body ?? null }; });
  router.get('/fail/:code', (c) => {
    throw new PipelineError(`failed with ${c.params.code}`, { code: c.params.code ?? 'INTERNAL', retriable: false, context: { why: 'test' } });
  });
  router.get('/crash', () => { throw new TypeError('secret internals'); });
  const { app } = createHttpApp({
    service: 'test', logger: silentLogger(), metrics: createMetrics({ service: 'test', defaultMetrics: false }),
    routers: [router],
    readiness: [
      { name: 'redis', check: async () => { if (ctx.redisDown) throw new Error('redis is down'); } },
      { name: 's3', check: async () => undefined },
    ],
  });
  ctx.served = await listen(app, { port: 0, host: '127.0.0.1' });
}

interface ProblemBody { type: string; status: number; title: string; code: string; detail?: string; requestId?: string; [k: string]: unknown }

async function problemOf(res: Response): Promise<ProblemBody> {
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  return (await res.json()) as ProblemBody;
}

const app = suite<Ctx>('createHttpApp', { redisDown: false } as Ctx);
app.before(start);
app.after((ctx) => ctx.served.close(1_000));

app('is a function returning an app, its root router and drain', () => {
  assert.type(createHttpApp, 'function');
  const made = createHttpApp({ service: 't', logger: silentLogger(), metrics: createMetrics({ service: 't', defaultMetrics: false }) });
  assert.type(made.app.callback, 'function');
  assert.type(made.router.get, 'function');
  assert.type(made.drain, 'function');
});

app('GET /healthz answers 200 {status: ok}', async ({ served }) => {
  const res = await fetch(`${served.url}/healthz`);
  assert.is(res.status, 200);
  assert.equal(await res.json(), { status: 'ok' });
});

app('GET /readyz answers 200 with every check when all pass', async ({ served }) => {
  const res = await fetch(`${served.url}/readyz`);
  assert.is(res.status, 200);
  const body = (await res.json()) as { status: string; checks: Record<string, { status: string }> };
  assert.is(body.status, 'ok');
  assert.equal(Object.keys(body.checks).sort(), ['redis', 's3']);
  assert.is(body.checks.redis?.status, 'ok');
});

app('GET /readyz answers 503 naming the failing dependency', async (ctx) => {
  ctx.redisDown = true;
  try {
    const body = await problemOf(await fetch(`${ctx.served.url}/readyz`).then((r) => { assert.is(r.status, 503); return r; }));
    assert.is(body.code, 'UNAVAILABLE');
    assert.equal(body.failed, ['redis']);
    assert.match(body.detail ?? '', 'redis');
    const checks = body.checks as Record<string, { status: string; error?: string }>;
    assert.is(checks.redis?.status, 'failed');
    assert.is(checks.redis?.error, 'redis is down');
    assert.is(checks.s3?.status, 'ok');
  } finally {
    ctx.redisDown = false;
  }
});

app('a service route answers under its prefix with its params', async ({ served }) => {
  const res = await fetch(`${served.url}/v1/things/abc`);
  assert.is(res.status, 200);
  assert.equal(await res.json(), { id: 'abc' });
});

app('an unknown route is a 404 problem NOT_FOUND', async ({ served }) => {
  const res = await fetch(`${served.url}/v1/nothing/here`);
  assert.is(res.status, 404);
  const body = await problemOf(res);
  assert.is(body.code, 'NOT_FOUND');
  assert.is(body.status, 404);
  assert.type(body.requestId, 'string');
});

app('a known path under another method is a 405 problem with Allow', async ({ served }) => {
  const res = await fetch(`${served.url}/v1/things/abc`, { method: 'DELETE' });
  assert.is(res.status, 405);
  assert.match(res.headers.get('allow') ?? '', 'GET');
  assert.is((await problemOf(res)).code, 'METHOD_NOT_ALLOWED');
});

/** node:http, not fetch: fetch refuses TRACE and CONNECT. */
function send(url: string, method: string): Promise<{ status: number; allow: string | undefined; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

app('TRACE, QUERY and other methods no route knows are 405 with Allow, never 501', async ({ served }) => {
  for (const method of ['TRACE', 'QUERY', 'PROPFIND', 'PURGE', 'PATCH', 'PUT']) {
    const res = await send(`${served.url}/v1/things/abc`, method);
    assert.is(res.status, 405, method);
    assert.is(res.allow, 'HEAD, GET', method);
    assert.match(res.type ?? '', /^application\/problem\+json/, method);
    assert.is((JSON.parse(res.body) as ProblemBody).code, 'METHOD_NOT_ALLOWED', method);
  }
  const health = await send(`${served.url}/healthz`, 'TRACE');
  assert.is(health.status, 405);
  assert.is(health.allow, 'HEAD, GET');
});

app('a method on a path no route matches is 404; OPTIONS on a known path lists Allow', async ({ served }) => {
  const missing = await send(`${served.url}/v1/nothing-here`, 'TRACE');
  assert.is(missing.status, 404);
  assert.is((JSON.parse(missing.body) as ProblemBody).code, 'NOT_FOUND');
  const options = await send(`${served.url}/v1/things`, 'OPTIONS');
  assert.is(options.status, 200);
  assert.is(options.allow, 'POST');
});

app('a thrown PipelineError answers with its status and code', async ({ served }) => {
  for (const [code, status] of [['NOT_FOUND', 404], ['IDEMPOTENCY_MISMATCH', 422], ['ACCESS_DENIED', 403], ['UNAVAILABLE', 503]] as const) {
    const res = await fetch(`${served.url}/v1/fail/${code}`);
    assert.is(res.status, status, code);
    const body = await problemOf(res);
    assert.is(body.code, code);
    if (status < 500) assert.is(body.detail, `failed with ${code}`);
  }
});

app('an unexpected error is a 500 problem INTERNAL that leaks nothing', async ({ served }) => {
  const res = await fetch(`${served.url}/v1/crash`);
  assert.is(res.status, 500);
  const text = await res.text();
  assert.is((JSON.parse(text) as ProblemBody).code, ErrorCode.INTERNAL);
  assert.not.match(text, 'secret');
});

app('a JSON body within the limit is parsed', async ({ served }) => {
  const res = await fetch(`${served.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"a"}' });
  assert.is(res.status, 201);
  assert.equal(await res.json(), { got: { name: 'a' } });
});

app('a body over the limit is a 413 problem PAYLOAD_TOO_LARGE', async ({ served }) => {
  const body = JSON.stringify({ name: 'x'.repeat(100) });
  const res = await fetch(`${served.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.is(res.status, 413);
  const problem = await problemOf(res);
  assert.is(problem.code, 'PAYLOAD_TOO_LARGE');
  assert.equal(problem.context, { limitBytes: 64 });
});

app('invalid JSON is a 400 problem INVALID_INPUT', async ({ served }) => {
  const res = await fetch(`${served.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
  assert.is(res.status, 400);
  const problem = await problemOf(res);
  assert.is(problem.code, 'INVALID_INPUT');
  assert.match(problem.detail ?? '', 'not valid JSON');
});

app('a body that is not JSON is a 415 problem', async ({ served }) => {
  const res = await fetch(`${served.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
  assert.is(res.status, 415);
  assert.is((await problemOf(res)).code, 'UNSUPPORTED_MEDIA_TYPE');
});

app.run();
