/**
 * `npm run bench -- status`, one JSON line per case:
 * - status-projector: job events per second through the projector into real Redis (REDIS_URL),
 *   beside `redis-benchmark -t hset` on the same server (ratio; target ≥ 0.25).
 * - status-get-job: GET /v1/jobs/{id} latency p50/p99 at 1,000 requests/s (open-loop Node load
 *   generator in its own process, JWT auth on), beside a bare koa route on the same machine.
 * BENCH_STATUS_EVENTS (default 20,000) and BENCH_STATUS_SECONDS (default 10) size the cases.
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Koa from 'koa';
import { Redis } from 'ioredis';
import { silentLogger } from '@artifact-pipeline/shared';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { createHttpApp } from '@artifact-pipeline/shared/http/app';
import { bearerAuth } from '@artifact-pipeline/shared/http/auth';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import type { HttpRouter } from '@artifact-pipeline/shared/http/router';
import { listen } from '@artifact-pipeline/shared/http/serve';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { createEventClock } from '../../services/status/src/event-clock.js';
import type { StatusMiddleware } from '../../services/status/src/principal.js';
import { createProjector } from '../../services/status/src/project-event.js';
import { jobRoutes } from '../../services/status/src/routes-jobs.js';
import { lifecycle } from '../../services/status/src/test-support.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  process.stderr.write('status bench: needs REDIS_URL: eval "$(npm run -s infra:up)" first\n');
  process.exit(1);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const EVENTS = Number(process.env.BENCH_STATUS_EVENTS ?? 20_000);
const SECONDS = Number(process.env.BENCH_STATUS_SECONDS ?? 10);
/** Jobs projected at once (each job's events in order). */
const IN_FLIGHT = Number(process.env.BENCH_STATUS_IN_FLIGHT ?? 128);
const prefix = `bench-status-${process.pid}:`;
const { hostname, port } = new URL(redisUrl);
const emit = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

async function hsetBaseline(): Promise<number> {
  const { stdout } = await promisify(execFile)('redis-benchmark', ['-h', hostname, '-p', port || '6379', '-t', 'hset', '-n', '100000', '-c', '50', '--csv']);
  // "test","rps",...  then  "HSET","81234.55",...
  const row = stdout.trim().split('\n').find((l) => l.startsWith('"HSET'))!;
  return Number(row.split(',')[1]!.replace(/"/g, ''));
}

async function projectorCase(): Promise<void> {
  const clock = createEventClock();
  const jobs = createRedisJobStore({ url: redisUrl!, keyPrefix: prefix, clock: clock.now });
  const project = createProjector({ jobs, clock });
  const perJob = 10;
  const count = Math.ceil(EVENTS / perJob);
  const streams = Array.from({ length: count }, (_, i) => lifecycle(`job-${i}`, { steps: perJob - 2 }));
  for (const [i] of streams.entries()) await jobs.create({ id: `job-${i}`, type: 'zip', owner: `o${i % 50}`, input: {} });
  // IN_FLIGHT jobs at once, each job's events in order — as Kafka partitions or SQS concurrency deliver.
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    for (let i = next++; i < count; i = next++) for (const event of streams[i]!) await project(event);
  }));
  const seconds = (performance.now() - started) / 1000;
  const eventsPerSecond = Math.round((count * perJob) / seconds);
  const hset = await hsetBaseline();
  emit({ case: 'status-projector', events: count * perJob, inFlight: IN_FLIGHT, seconds: Math.round(seconds * 100) / 100, eventsPerSecond, baseline: 'redis-benchmark -t hset -c 50', baselineOpsPerSecond: hset, ratio: Math.round((eventsPerSecond / hset) * 1000) / 1000, target: 0.25 });
  await jobs.close();
}

function load(url: string, authorization?: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'status-load.mjs'), url, '1000', String(SECONDS), ...(authorization ? [authorization] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as Record<string, number>) : reject(new Error(`load exited ${code}`))));
  });
}

async function getLatencyCase(): Promise<void> {
  const secret = 'bench-secret-0123456789abcdef0123456789';
  const jobs = createRedisJobStore({ url: redisUrl!, keyPrefix: prefix });
  const logger = silentLogger();
  const metrics = createMetrics({ service: 'status', defaultMetrics: false });
  const routes = jobRoutes({ jobs });
  const auth = bearerAuth({ auth: { mode: 'jwt', jwtSecret: secret, jwksUrl: undefined, usersFile: undefined }, logger }) as unknown as StatusMiddleware;
  const http = createHttpApp({ service: 'status', logger, metrics, routers: [] });
  http.app.use(auth as never);
  http.app.use(routes.routes() as never);
  const served = await listen(http.app, { port: 0, host: '127.0.0.1' });
  const bare = new Koa();
  bare.use((ctx) => { ctx.body = { id: 'job-0', status: 'done' }; });
  const bareServed = await listen(bare, { port: 0, host: '127.0.0.1' });
  const token = await issueToken({ secret, subject: 'o0' });
  const status = await load(`${served.url}/v1/jobs/job-0`, `Bearer ${token}`);
  const baseline = await load(`${bareServed.url}/`);
  emit({ case: 'status-get-job', rps: 1000, seconds: SECONDS, ...status, baseline: 'bare koa route', baselineP50Ms: baseline.p50Ms, baselineP99Ms: baseline.p99Ms, targetP99Ms: 5 });
  await served.close(1_000);
  await bareServed.close(1_000);
  await jobs.close();
}

try {
  await projectorCase();
  await getLatencyCase();
} finally {
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}
