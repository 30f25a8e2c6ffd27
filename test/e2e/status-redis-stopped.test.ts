/**
 * The status API with its Redis stopped, wired as `main.ts` wires it (loadConfig →
 * createAdapters for 'status' → createStatusService → createHttpApp): a request must get
 * 503 UNAVAILABLE with Retry-After at once, not hang while ioredis reconnects, and answer
 * again once Redis is back; the same within about a second when Redis is frozen (SIGSTOP); an event published during the outage is still projected (the
 * projector keeps retrying). A SEPARATE redis-server on a free port: the shared one is never
 * stopped. Each request has a 5 s client timeout, so a hang fails the test; the times are
 * printed, not asserted.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAdapters, loadConfig, silentLogger, type Adapters } from '@artifact-pipeline/shared';
import { createHttpApp } from '@artifact-pipeline/shared/http/app';
import { bearerAuth } from '@artifact-pipeline/shared/http/auth';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import { createOpenApiChecker } from '@artifact-pipeline/shared/http/openapi-check';
import type { HttpRouter } from '@artifact-pipeline/shared/http/router';
import { listen, type Served } from '@artifact-pipeline/shared/http/serve';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import type { StatusMiddleware } from '../../services/status/src/principal.js';
import { createStatusService, type StatusService } from '../../services/status/src/status-service.js';
import { lifecycle } from '../../services/status/src/test-support.js';
import { servers, uniqueName, waitFor } from '../harness/support.js';
import { freePort, startRedis, stopRedis } from './status-redis-server.js';

const SECRET = 'status-redis-stopped-secret-0123456789';

interface Ctx {
  port: number;
  dir?: string;
  child?: ChildProcess;
  adapters?: Adapters;
  service?: StatusService;
  served?: Served;
  token: string;
}

const stopped = suite<Ctx>('status API with Redis stopped', {} as Ctx);
stopped.after(async (ctx) => {
  await ctx.served?.close(1_000);
  await ctx.service?.stop(5_000);
  await ctx.adapters?.close();
  if (ctx.child) await stopRedis(ctx.child);
  if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
});

const openApi = createOpenApiChecker();

/**
 * GET with a 5 s client timeout; status, Retry-After, body, the time it took (ms) and what
 * the OpenAPI document says is wrong with the answer.
 */
async function timedGet(ctx: Ctx, target: string) {
  const started = performance.now();
  const res = await fetch(`${ctx.served!.url}${target}`, { headers: { authorization: `Bearer ${ctx.token}` }, signal: AbortSignal.timeout(5_000) });
  const retryAfter = res.headers.get('retry-after');
  const { problems, body } = await openApi.checkFetch(res, 'GET', target.startsWith('/v1/jobs/') ? '/v1/jobs/{id}' : target);
  return { status: res.status, retryAfter, body: body as { code?: string; status?: string }, problems, ms: Math.round(performance.now() - started) };
}

stopped('503 UNAVAILABLE with Retry-After while Redis is down; answers again once it is back', async (ctx) => {
  ctx.port = await freePort();
  // Append-only with fsync always, so the job is still there after the restart.
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'status-redis-stopped-'));
  ctx.child = await startRedis(ctx.port, ctx.dir);
  const config = loadConfig({
    AUTH_JWT_SECRET: SECRET,
    REDIS_URL: `redis://127.0.0.1:${ctx.port}`,
    AWS_ENDPOINT_URL: servers().awsEndpointUrl,
    S3_FORCE_PATH_STYLE: 'true',
    ARTIFACTS_BUCKET: uniqueName('stopped'),
  });
  const logger = silentLogger();
  ctx.adapters = await createAdapters(config, { logger, service: 'status' });
  ctx.service = createStatusService({
    ...ctx.adapters,
    artifactsBucket: config.s3.artifactsBucket,
    downloadUrlTtlSeconds: 600,
    auth: bearerAuth({ auth: config.auth, logger }) as unknown as StatusMiddleware,
    logger,
  });
  const metrics = createMetrics({ service: 'status', defaultMetrics: false });
  const http = createHttpApp({ service: 'status', logger, metrics, routers: [ctx.service.router as unknown as HttpRouter] });
  await ctx.service.start();
  ctx.served = await listen(http.app, { port: 0, host: '127.0.0.1' });
  ctx.token = await issueToken({ secret: SECRET, subject: 'alice' });

  const id = randomUUID();
  await ctx.adapters.jobs.create({ id, type: 'zip', owner: 'alice', input: {}, createdAt: new Date(Date.now() - 120_000).toISOString() });
  const up = await timedGet(ctx, `/v1/jobs/${id}`);
  assert.is(up.status, 200);
  assert.is(up.body.status, 'queued');

  await stopRedis(ctx.child);
  const answers = [];
  // Right after the stop, and again later in the outage (ioredis' reconnect delay grows).
  for (const target of [`/v1/jobs/${id}`, '/v1/jobs', `/v1/jobs/${id}`]) {
    answers.push({ path: target, ...(await timedGet(ctx, target)) });
    await new Promise((r) => setTimeout(r, 700));
  }
  // Published while Redis is down: the projector must keep trying until it is back.
  const [started] = lifecycle(id, { steps: 1 });
  await ctx.adapters.bus.publish('artifacts.events', started!);
  await new Promise((r) => setTimeout(r, 1_500));
  answers.push({ path: `/v1/jobs/${id} (3 s into the outage)`, ...(await timedGet(ctx, `/v1/jobs/${id}`)) });
  console.log(`  with Redis stopped: ${answers.map((a) => `${a.path} → ${a.status} in ${a.ms} ms`).join('; ')}`);
  for (const a of answers) {
    assert.is(a.status, 503, a.path);
    assert.is(a.body.code, 'UNAVAILABLE', a.path);
    assert.ok(Number(a.retryAfter) > 0, `${a.path}: Retry-After is ${a.retryAfter}`);
    assert.equal(a.problems, [], `${a.path}: the 503 is the one the OpenAPI document declares`);
  }

  ctx.child = await startRedis(ctx.port, ctx.dir);
  const back = await waitFor(async () => {
    const r = await timedGet(ctx, `/v1/jobs/${id}`);
    return r.status === 200 && r.body.status === 'processing' ? r : undefined;
  }, 'the API to answer again, with the event projected during the outage', { timeoutMs: 30_000, intervalMs: 200 });
  assert.is(back.body.status, 'processing');

  // Frozen (SIGSTOP): the connection stays open and nothing answers; commandTimeout bounds it.
  ctx.child.kill('SIGSTOP');
  let frozen: Awaited<ReturnType<typeof timedGet>>;
  try {
    frozen = await timedGet(ctx, `/v1/jobs/${id}`);
  } finally {
    ctx.child.kill('SIGCONT');
  }
  console.log(`  with Redis frozen (SIGSTOP): GET → ${frozen.status} in ${frozen.ms} ms`);
  assert.is(frozen.status, 503);
  assert.is(frozen.body.code, 'UNAVAILABLE');
  assert.ok(Number(frozen.retryAfter) > 0);
  await waitFor(async () => (await timedGet(ctx, `/v1/jobs/${id}`)).status === 200, 'the API to answer after SIGCONT', { timeoutMs: 10_000, intervalMs: 100 });
});

stopped.run();
