import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { ErrorCode, PipelineError } from '../errors.js';
import { createEvent } from '../events/create-event.js';
import { EventType, type PipelineEvent } from '../events/envelope.js';
import type { ZipRequested } from '../events/payloads.js';
import { silentLogger } from '../logger.js';
import { Topic, type Subscription } from '../ports/bus.js';
import type { JobStore } from '../ports/job-store.js';
import type { Leases } from '../ports/lease.js';
import { createMemoryBus, type MemoryBus } from '../adapters/memory-bus.js';
import { createMemoryJobStore } from '../adapters/memory-job-store.js';
import { createMemoryLeases } from '../adapters/memory-leases.js';
import type { BuildContext, BuildResult, JobWorkerOptions } from './job-worker-types.js';
import { LEASE_HELD, LEASE_LOST, jobLeaseName, runJobWorker } from './run-job-worker.js';

const SOURCE = '/artifact-pipeline/zipper-test';

interface Ctx {
  bus: MemoryBus;
  jobs: JobStore;
  leases: Leases;
  events: PipelineEvent[];
  subscriptions: Subscription[];
}

const result = (jobId: string): BuildResult => ({
  output: { bucket: 'artifacts', key: `zips/2025/01/02/${jobId}/a.zip`, size: 22, contentType: 'application/zip' },
  downloadUrl: 'http://127.0.0.1:1/a.zip',
  expiresAt: '2025-01-03T00:00:00.000Z',
});

function command(jobId = randomUUID()): PipelineEvent {
  const data: ZipRequested = {
    jobId,
    owner: 'alice',
    source: { bucket: 'uploads', prefix: 'inbox/' },
    output: { name: 'a.zip' },
    options: { compression: 'auto' },
  };
  return createEvent(EventType.zipRequested, data, { source: '/artifact-pipeline/ingest' });
}

async function start(
  ctx: Ctx,
  build: (command: PipelineEvent, context: BuildContext) => Promise<BuildResult>,
  extra: Partial<JobWorkerOptions<typeof EventType.zipRequested>> = {},
): Promise<void> {
  ctx.subscriptions.push(
    await runJobWorker({
      bus: ctx.bus, jobs: ctx.jobs, leases: ctx.leases, topic: Topic.zipCommands, group: 'zipper',
      commandType: EventType.zipRequested, jobType: 'zip', logger: silentLogger(), source: SOURCE, build,
      ...extra,
    }),
  );
}

/** As ingest does it: records the job (queued, unless held already), then publishes its command. */
async function submit(ctx: Ctx, cmd: PipelineEvent): Promise<void> {
  await ctx.jobs.create({ id: cmd.subject!, type: 'zip', owner: 'alice', input: {} });
  await ctx.bus.publish(Topic.zipCommands, cmd);
}

/** Resolves once `check` holds, polling for at most `ms`. */
async function eventually<T>(check: () => T | undefined | false, what: string, ms = 3_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`deadline: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const kinds = (events: PipelineEvent[], jobId: string): string[] =>
  events.filter((e) => e.subject === jobId).map((e) => e.type.replace('io.artifactpipeline.job.', '').replace('.v1', ''));

const Worker = suite<Ctx>('runJobWorker', {} as Ctx);
Worker.before.each(async (ctx) => {
  ctx.bus = createMemoryBus({ maxAttempts: 3, backoff: { baseMs: 5, maxMs: 20 } });
  ctx.jobs = createMemoryJobStore();
  ctx.leases = createMemoryLeases();
  ctx.events = [];
  ctx.subscriptions = [];
  ctx.subscriptions.push(await ctx.bus.consume(Topic.events, async (e) => void ctx.events.push(e), { group: 'observer' }));
});
Worker.after.each(async (ctx) => {
  await Promise.all(ctx.subscriptions.map((s) => s.stop(0)));
  await ctx.bus.close();
});

Worker('is a function that starts a consumer', () => {
  assert.type(runJobWorker, 'function');
  assert.is(jobLeaseName('j1'), 'job:j1');
});

Worker('builds the command and emits started, progressed, completed with the job as subject', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  let seen: PipelineEvent | undefined;
  await start(ctx, async (c, { reportProgress, attempt }) => {
    seen = c;
    assert.is(attempt, 1);
    reportProgress({ bytesDone: 5, bytesTotal: 10, itemsDone: 1, itemsTotal: 2 });
    return result(jobId);
  });
  await submit(ctx, cmd);
  await eventually(() => kinds(ctx.events, jobId).includes('completed'), 'job.completed');
  assert.is(seen?.id, cmd.id);
  assert.equal(kinds(ctx.events, jobId), ['started', 'progressed', 'completed']);
  for (const e of ctx.events) {
    assert.is(e.source, SOURCE);
    assert.is(e.partitionkey, jobId);
  }
  assert.equal(ctx.events[0]!.data, { jobId, type: 'zip', attempt: 1 });
  assert.equal(ctx.events[2]!.data, { jobId, attempt: 1, ...result(jobId) });
  assert.is(await ctx.leases.acquire(jobLeaseName(jobId), 'someone-else', 1_000), true, 'the lease is released');
});

Worker('sends at most one job.progressed a second, and always the last value', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  await start(ctx, async (_c, { reportProgress }) => {
    for (let i = 1; i <= 500; i++) reportProgress({ bytesDone: i, bytesTotal: 500, itemsDone: i, itemsTotal: 500 });
    return result(jobId);
  });
  await submit(ctx, cmd);
  await eventually(() => kinds(ctx.events, jobId).includes('completed'), 'job.completed');
  const progressed = ctx.events.filter((e) => e.type === EventType.jobProgressed).map((e) => (e.data as { bytesDone: number }).bytesDone);
  assert.equal(progressed, [1, 500]);
  assert.equal(kinds(ctx.events, jobId), ['started', 'progressed', 'progressed', 'completed']);
});

Worker('a retriable failure emits job.failed (not final) and the retry completes', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  let calls = 0;
  await start(ctx, async () => {
    calls++;
    if (calls === 1) throw new PipelineError('S3 slow down', { code: ErrorCode.THROTTLED, retriable: true });
    return result(jobId);
  });
  await submit(ctx, cmd);
  await eventually(() => kinds(ctx.events, jobId).includes('completed'), 'job.completed');
  assert.equal(kinds(ctx.events, jobId), ['started', 'failed', 'started', 'completed']);
  const failed = ctx.events.find((e) => e.type === EventType.jobFailed)!;
  assert.equal(failed.data, { jobId, error: { code: 'THROTTLED', message: 'S3 slow down', retriable: true }, attempt: 1, final: false });
  assert.equal(await ctx.bus.drainDeadLetters(Topic.zipCommands), []);
});

/** The command topic's dead letters, once there are any (at most 3 s). */
async function deadLetters(ctx: Ctx): Promise<{ reason: { code: string; message: string } }[]> {
  const until = Date.now() + 3_000;
  for (;;) {
    const found = await ctx.bus.drainDeadLetters(Topic.zipCommands);
    if (found.length > 0 || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 5));
  }
}

Worker('a non-retriable failure is final at once and dead-letters the command', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  await start(ctx, async () => {
    throw new PipelineError('no such bucket', { code: ErrorCode.SOURCE_NOT_FOUND, retriable: false });
  });
  await submit(ctx, cmd);
  const letters = await deadLetters(ctx);
  assert.is(letters.length, 1);
  assert.is(letters[0]!.reason.code, 'SOURCE_NOT_FOUND');
  await eventually(() => kinds(ctx.events, jobId).includes('failed'), 'job.failed');
  assert.equal(kinds(ctx.events, jobId), ['started', 'failed']);
  assert.is((ctx.events[1]!.data as { final: boolean }).final, true);
});

Worker('the failure of the last attempt is final', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  await start(ctx, async () => {
    throw new PipelineError('reset', { code: ErrorCode.UNAVAILABLE, retriable: true });
  });
  await submit(ctx, cmd);
  assert.is((await deadLetters(ctx)).length, 1);
  await eventually(() => kinds(ctx.events, jobId).filter((k) => k === 'failed').length === 3, 'three job.failed');
  const finals = ctx.events.filter((e) => e.type === EventType.jobFailed).map((e) => (e.data as { attempt: number; final: boolean }));
  assert.equal(finals.map((f) => [f.attempt, f.final]), [[1, false], [2, false], [3, true]]);
});

Worker('a redelivered command for a done job is acknowledged without work', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  await ctx.jobs.create({ id: jobId, type: 'zip', owner: 'alice', input: {} });
  const at = new Date().toISOString();
  await ctx.jobs.apply(jobId, { kind: 'started', attempt: 1, at });
  await ctx.jobs.apply(jobId, { kind: 'completed', attempt: 1, at, ...result(jobId) });
  let calls = 0;
  await start(ctx, async () => {
    calls++;
    return result(jobId);
  });
  const marker = command();
  await submit(ctx, cmd);
  await submit(ctx, marker);
  // Handled in order (concurrency 1): once the next command completes, the first was handled.
  await eventually(() => kinds(ctx.events, marker.subject!).includes('completed'), 'the next job');
  assert.is(calls, 1, 'only the next job was built');
  assert.equal(kinds(ctx.events, jobId), []);
  assert.equal(await ctx.bus.drainDeadLetters(Topic.zipCommands), []);
});

Worker('waits for a lease a crashed worker left behind, then builds', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  await ctx.leases.acquire(jobLeaseName(jobId), 'crashed-worker', 150);
  await start(ctx, async () => result(jobId), { leaseTtlMs: 150 });
  await submit(ctx, cmd);
  await eventually(() => kinds(ctx.events, jobId).includes('completed'), 'job.completed');
  assert.equal(kinds(ctx.events, jobId), ['started', 'completed']);
});

Worker('a lease a live worker keeps renewing gives the message back without job.failed', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  await ctx.leases.acquire(jobLeaseName(jobId), 'live-worker', 60_000);
  let calls = 0;
  await start(ctx, async () => {
    calls++;
    return result(jobId);
  }, { leaseTtlMs: 60, leaseWaitMs: 30 });
  await submit(ctx, cmd);
  const letters = await deadLetters(ctx);
  assert.is(letters[0]?.reason.code, LEASE_HELD);
  assert.is(calls, 0);
  assert.equal(kinds(ctx.events, jobId), []);
});

/** Leases whose renewals are refused once `revoke()` is called: another worker took over. */
function revocable(inner: Leases): Leases & { revoke(): void } {
  let revoked = false;
  return {
    acquire: (n, h, t) => inner.acquire(n, h, t),
    renew: async (n, h, t) => (revoked ? false : inner.renew(n, h, t)),
    release: (n, h) => inner.release(n, h),
    revoke: () => void (revoked = true),
  };
}

Worker('a lease lost mid-build aborts the build, emits no job.failed and the retry completes', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  const leases = revocable(ctx.leases);
  ctx.leases = leases;
  let calls = 0;
  let reason: unknown;
  await start(ctx, async (_c, { signal }) => {
    calls++;
    if (calls === 1) {
      leases.revoke();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      reason = signal.reason;
      // Let the retry take the lease again.
      ctx.leases = createMemoryLeases();
      throw signal.reason;
    }
    return result(jobId);
  }, { leaseTtlMs: 60 });
  await submit(ctx, cmd);
  await eventually(() => calls === 1 && reason !== undefined, 'the build to be aborted');
  assert.is((reason as { code?: string }).code, LEASE_LOST);
  assert.ok(!kinds(ctx.events, jobId).includes('failed'));
});

Worker('a command of another type is dead-lettered as INVALID_EVENT', async (ctx) => {
  let calls = 0;
  await start(ctx, async () => {
    calls++;
    throw new Error('not reached');
  });
  await ctx.bus.publish(Topic.zipCommands, createEvent(EventType.jobStarted, { jobId: 'j-1', type: 'zip', attempt: 1 }, { source: SOURCE }));
  const letters = await deadLetters(ctx);
  assert.is(letters[0]?.reason.code, ErrorCode.INVALID_EVENT);
  assert.is(calls, 0);
});

Worker('a command whose job the store does not hold is dead-lettered as JOB_UNKNOWN and not built', async (ctx) => {
  const cmd = command();
  let calls = 0;
  await start(ctx, async () => {
    calls++;
    return result(cmd.subject!);
  });
  await ctx.bus.publish(Topic.zipCommands, cmd); // around ingest: no job recorded
  const letters = await deadLetters(ctx);
  assert.is(letters.length, 1);
  assert.is(letters[0]!.reason.code, ErrorCode.JOB_UNKNOWN);
  assert.match(letters[0]!.reason.message, cmd.subject!);
  assert.is(calls, 0);
  assert.equal(kinds(ctx.events, cmd.subject!), []);
});

Worker('the attempt counts the deliveries the job store saw, crashed ones included', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  await ctx.jobs.create({ id: jobId, type: 'zip', owner: 'alice', input: {} });
  // Two deliveries whose workers died before they reported anything (Kafka redelivers at 1).
  await ctx.jobs.countAttempt(jobId);
  await ctx.jobs.countAttempt(jobId);
  let seen: number | undefined;
  await start(ctx, async (_c, { attempt, reportProgress }) => {
    seen = attempt;
    reportProgress({ bytesDone: 1, bytesTotal: 2, itemsDone: 1, itemsTotal: 2 });
    return result(jobId);
  });
  await ctx.bus.publish(Topic.zipCommands, cmd);
  await eventually(() => kinds(ctx.events, jobId).includes('completed'), 'job.completed');
  assert.is(seen, 3);
  const started = ctx.events.find((e) => e.subject === jobId && e.type === EventType.jobStarted)!;
  assert.is((started.data as { attempt: number }).attempt, 3);
  const progressed = ctx.events.find((e) => e.subject === jobId && e.type === EventType.jobProgressed)!;
  assert.is((progressed.data as { attempt?: number }).attempt, 3, 'progress names its attempt');
});

Worker('a retriable failure of the last counted attempt is final and dead-lettered at once', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  await ctx.jobs.create({ id: jobId, type: 'zip', owner: 'alice', input: {} });
  await ctx.jobs.countAttempt(jobId);
  await ctx.jobs.countAttempt(jobId);
  let calls = 0;
  await start(ctx, async () => {
    calls++;
    throw new PipelineError('reset', { code: ErrorCode.UNAVAILABLE, retriable: true });
  });
  await ctx.bus.publish(Topic.zipCommands, cmd);
  const letters = await deadLetters(ctx);
  assert.is(letters[0]?.reason.code, ErrorCode.UNAVAILABLE);
  assert.is(calls, 1, 'the bus does not retry a final failure');
  await eventually(() => kinds(ctx.events, jobId).includes('failed'), 'job.failed');
  const failed = ctx.events.filter((e) => e.subject === jobId && e.type === EventType.jobFailed).map((e) => e.data as { attempt: number; final: boolean });
  assert.equal(failed.map((f) => [f.attempt, f.final]), [[3, true]]);
});

Worker('a delivery past MAX_ATTEMPTS is not built: final ATTEMPTS_EXHAUSTED, uploads aborted, dead letter with the reason', async (ctx) => {
  const cmd = command();
  const jobId = cmd.subject!;
  await ctx.jobs.create({ id: jobId, type: 'zip', owner: 'alice', input: {} });
  const at = new Date().toISOString();
  await ctx.jobs.apply(jobId, { kind: 'started', attempt: 3, at });
  await ctx.jobs.apply(jobId, { kind: 'failed', attempt: 3, at, error: { code: 'THROTTLED', message: 'S3 slow down', retriable: true }, final: false });
  for (let i = 0; i < 3; i++) await ctx.jobs.countAttempt(jobId); // three workers killed
  let calls = 0;
  const aborted: string[] = [];
  await start(ctx, async () => {
    calls++;
    return result(jobId);
  }, {
    maxAttempts: 3,
    abortUploads: async (c) => {
      aborted.push(c.data.jobId);
      return 1;
    },
  });
  await ctx.bus.publish(Topic.zipCommands, cmd);
  const letters = await deadLetters(ctx);
  assert.is(letters.length, 1);
  assert.is(letters[0]!.reason.code, ErrorCode.ATTEMPTS_EXHAUSTED);
  assert.is(calls, 0, 'not built');
  assert.equal(aborted, [jobId]);
  await eventually(() => kinds(ctx.events, jobId).includes('failed'), 'job.failed');
  assert.equal(kinds(ctx.events, jobId), ['failed']);
  const failed = ctx.events.find((e) => e.subject === jobId)!.data as { attempt: number; final: boolean; error: { code: string; message: string; retriable: boolean } };
  assert.is(failed.final, true);
  assert.is(failed.attempt, 3);
  assert.is(failed.error.code, ErrorCode.ATTEMPTS_EXHAUSTED);
  assert.is(failed.error.retriable, false);
  assert.match(failed.error.message, 'THROTTLED: S3 slow down', 'the last error it knows');
  assert.is(await ctx.leases.acquire(jobLeaseName(jobId), 'someone-else', 1_000), true, 'the lease is released');
});

Worker.run();
