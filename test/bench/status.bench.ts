/**
 * `npm run bench -- status`, one JSON line per case:
 * - status-projector: job events per second through the projector into real Redis (REDIS_URL),
 *   beside `redis-benchmark -t hset` on the same server (ratio; target ≥ 0.25).
 * - status-get-job: GET /v1/jobs/{id} latency p50/p99 at 1,000 requests/s (open-loop Node load
 *   generator in its own process, JWT auth on), beside a bare koa route on the same machine.
 * BENCH_STATUS_EVENTS (default 20,000), BENCH_STATUS_RUNS (projector rounds, default 5),
 * BENCH_STATUS_GET_RUNS (GET rounds, default 3) and BENCH_STATUS_SECONDS (default 10) size the
 * cases; BENCH_CPU_PROFILE=<file> profiles the last projector run; BENCH_SKIP_PROJECTOR=1 or
 * BENCH_SKIP_GET=1 leaves a case out.
 */
import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import inspector from 'node:inspector';
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
import type { StatusMiddleware } from '../../services/status/src/principal.js';
import { createProjector } from '../../services/status/src/project-event.js';
import { jobRoutes } from '../../services/status/src/routes-jobs.js';
import { PROJECTION_CONCURRENCY } from '../../services/status/src/status-service.js';
import { lifecycle } from '../../services/status/src/test-support.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  process.stderr.write('status bench: needs REDIS_URL: eval "$(npm run -s infra:up)" first\n');
  process.exit(1);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const EVENTS = Number(process.env.BENCH_STATUS_EVENTS ?? 20_000);
const SECONDS = Number(process.env.BENCH_STATUS_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_STATUS_RUNS ?? 5);
const GET_RUNS = Number(process.env.BENCH_STATUS_GET_RUNS ?? 3);
/** Jobs projected at once (each job's events in order): as many as the service does. */
const IN_FLIGHT = Number(process.env.BENCH_STATUS_IN_FLIGHT ?? PROJECTION_CONCURRENCY);
const prefix = `bench-status-${process.pid}:`;
const { hostname, port } = new URL(redisUrl);
const emit = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

async function hsetBaseline(): Promise<number> {
  const { stdout } = await promisify(execFile)('redis-benchmark', ['-h', hostname, '-p', port || '6379', '-t', 'hset', '-n', '50000', '-c', '50', '--csv']);
  // "test","rps",...  then  "HSET","81234.55",...
  const row = stdout.trim().split('\n').find((l) => l.startsWith('"HSET'))!;
  return Number(row.split(',')[1]!.replace(/"/g, ''));
}

/**
 * BENCH_CPU_PROFILE=<file>: a V8 CPU profile of the projector's timed run alone (open it in
 * Chrome DevTools or any .cpuprofile viewer) — the setup and the HSET baseline are left out.
 */
async function startProfile(): Promise<{ stop(): Promise<void> }> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return { stop: async () => undefined };
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** CPU seconds the Redis server has used (INFO cpu), to split an event's cost between it and Node. */
async function redisCpuSeconds(): Promise<number> {
  const redis = new Redis(redisUrl!);
  const info = await redis.info('cpu');
  await redis.quit();
  const field = (name: string): number => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

interface ProjectorRun { eventsPerSecond: number; seconds: number; nodeCpuUs: number; redisCpuUs: number }

/** One timed run over fresh jobs (`run` keeps their ids apart from earlier runs'). */
async function projectorRun(run: number, profile: boolean): Promise<ProjectorRun> {
  const jobs = createRedisJobStore({ url: redisUrl!, keyPrefix: prefix, ...(process.env.BENCH_BATCH ? { maxApplyBatch: Number(process.env.BENCH_BATCH) } : {}) });
  // With the service's metrics (counter and lag histogram per event); no tracer is started.
  const project = createProjector({ jobs, metrics: createMetrics({ service: 'status', defaultMetrics: false }) });
  const perJob = 10;
  const count = Math.ceil(EVENTS / perJob);
  const id = (i: number): string => `run${run}-job-${i}`;
  const streams = Array.from({ length: count }, (_, i) => lifecycle(id(i), { steps: perJob - 2 }));
  for (let i = 0; i < count; i++) await jobs.create({ id: id(i), type: 'zip', owner: `o${i % 50}`, input: {} });
  // IN_FLIGHT jobs at once, each job's events in order — as Kafka partitions or SQS concurrency deliver.
  let next = 0;
  const profiler = profile ? await startProfile() : { stop: async () => undefined };
  const redisCpuBefore = await redisCpuSeconds();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    for (let i = next++; i < count; i = next++) for (const event of streams[i]!) await project(event);
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const redisCpu = (await redisCpuSeconds()) - redisCpuBefore;
  await profiler.stop();
  await jobs.close();
  const events = count * perJob;
  return { eventsPerSecond: events / seconds, seconds, nodeCpuUs: (cpu.user + cpu.system) / events, redisCpuUs: (redisCpu * 1e6) / events };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * RUNS rounds of (redis-benchmark HSET, projector run), interleaved so both see the same
 * machine, medians reported: on a shared 2-core box either figure alone swings by ±30 %.
 */
async function projectorCase(): Promise<void> {
  const runs: ProjectorRun[] = [];
  const hsets: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    hsets.push(await hsetBaseline());
    runs.push(await projectorRun(run, run === RUNS - 1));
  }
  const eventsPerSecond = Math.round(median(runs.map((r) => r.eventsPerSecond)));
  const hset = Math.round(median(hsets));
  emit({
    case: 'status-projector', events: Math.ceil(EVENTS / 10) * 10, inFlight: IN_FLIGHT, runs: RUNS, eventsPerSecond,
    runsEventsPerSecond: runs.map((r) => Math.round(r.eventsPerSecond)),
    baseline: 'redis-benchmark -t hset -c 50', baselineOpsPerSecond: hset, runsBaselineOpsPerSecond: hsets.map(Math.round),
    ratio: Math.round((eventsPerSecond / hset) * 1000) / 1000, target: 0.25,
    nodeCpuUsPerEvent: Math.round(median(runs.map((r) => r.nodeCpuUs))), redisCpuUsPerEvent: Math.round(median(runs.map((r) => r.redisCpuUs))),
  });
}

function load(url: string, authorization?: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'status-load.js'), url, '1000', String(SECONDS), ...(authorization ? [authorization] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as Record<string, number>) : reject(new Error(`load exited ${code}`))));
  });
}

/** Failures of several runs, by kind (`http 500`, `ECONNRESET`, …). */
function mergeKinds(runs: Record<string, unknown>[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const run of runs) for (const [kind, n] of Object.entries((run.errorKinds ?? {}) as Record<string, number>)) kinds[kind] = (kinds[kind] ?? 0) + n;
  return kinds;
}

async function getLatencyCase(): Promise<void> {
  const secret = 'bench-secret-0123456789abcdef0123456789';
  const jobs = createRedisJobStore({ url: redisUrl!, keyPrefix: prefix });
  await jobs.create({ id: 'job-0', type: 'zip', owner: 'o0', input: {} });
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
  // CPU this process (the server; the load comes from a child) spends per request.
  const measured = async (url: string, authorization?: string): Promise<Record<string, number>> => {
    const before = process.cpuUsage();
    const result = await load(url, authorization);
    const cpu = process.cpuUsage(before);
    return { ...result, serverCpuUsPerRequest: Math.round((cpu.user + cpu.system) / (result.sent! + 500)) };
  };
  // GET_RUNS rounds of (status route, bare route), interleaved, medians reported.
  const statusRuns: Record<string, number>[] = [];
  const bareRuns: Record<string, number>[] = [];
  for (let run = 0; run < GET_RUNS; run++) {
    statusRuns.push(await measured(`${served.url}/v1/jobs/job-0`, `Bearer ${token}`));
    bareRuns.push(await measured(`${bareServed.url}/`));
  }
  const med = (runs: Record<string, number>[], field: string): number => median(runs.map((r) => r[field]!));
  emit({
    case: 'status-get-job', rps: 1000, seconds: SECONDS, runs: GET_RUNS,
    sent: statusRuns.reduce((n, r) => n + r.sent!, 0), ok: statusRuns.reduce((n, r) => n + r.ok!, 0), errors: statusRuns.reduce((n, r) => n + r.errors!, 0),
    errorKinds: mergeKinds(statusRuns), baselineErrors: bareRuns.reduce((n, r) => n + r.errors!, 0),
    p50Ms: med(statusRuns, 'p50Ms'), p99Ms: med(statusRuns, 'p99Ms'), runsP99Ms: statusRuns.map((r) => r.p99Ms),
    maxMs: Math.max(...statusRuns.map((r) => r.maxMs!)), lagP99Ms: med(statusRuns, 'lagP99Ms'), serverCpuUsPerRequest: med(statusRuns, 'serverCpuUsPerRequest'),
    baseline: 'bare koa route', baselineP50Ms: med(bareRuns, 'p50Ms'), baselineP99Ms: med(bareRuns, 'p99Ms'), baselineRunsP99Ms: bareRuns.map((r) => r.p99Ms),
    baselineLagP99Ms: med(bareRuns, 'lagP99Ms'), baselineServerCpuUsPerRequest: med(bareRuns, 'serverCpuUsPerRequest'), targetP99Ms: 5,
  });
  await served.close(1_000);
  await bareServed.close(1_000);
  await jobs.close();
}

try {
  if (!process.env.BENCH_SKIP_PROJECTOR) await projectorCase();
  if (!process.env.BENCH_SKIP_GET) await getLatencyCase();
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
