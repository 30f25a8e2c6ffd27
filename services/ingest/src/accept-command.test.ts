import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, Topic, isPipelineError, silentLogger, type Bus, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createMemoryBus } from '@artifact-pipeline/shared/adapters/memory-bus';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { waitFor } from '../../../test/harness/support.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalObjectStore } from '@artifact-pipeline/shared/adapters/local-object-store';
import { acceptCommand, type AcceptDeps } from './accept-command.js';

interface Ctx { bus: Bus; jobs: JobStore; deps: AcceptDeps; seen: PipelineEvent[] }

const zipPayload = {
  source: { bucket: 'artifacts', prefix: 'inbox/a/' },
  output: { name: 'a.zip' },
  options: { compression: 'auto' as const },
};

const accept = suite<Ctx>('acceptCommand');

accept.before.each(async (ctx) => {
  ctx.bus = createMemoryBus();
  ctx.jobs = createMemoryJobStore();
  ctx.seen = [];
  ctx.deps = {
    bus: ctx.bus, jobs: ctx.jobs, logger: silentLogger(),
    metrics: createMetrics({ service: 'ingest-test', defaultMetrics: false }),
    publishRetry: { attempts: 2, baseMs: 1, maxMs: 1 },
  };
  await ctx.bus.consume(Topic.zipCommands, async (event) => { ctx.seen.push(event); });
});
accept.after.each(async (ctx) => {
  await ctx.bus.close().catch(() => undefined);
  await ctx.jobs.close();
});

accept('is a function of (deps, command)', () => {
  assert.type(acceptCommand, 'function');
  assert.is(acceptCommand.length, 2);
});

accept('records a queued job and publishes one command carrying its id', async (ctx) => {
  const { job, created } = await acceptCommand(ctx.deps, { type: 'zip', owner: 'team-a', payload: zipPayload });
  assert.ok(created);
  assert.is(job.status, 'queued');
  assert.equal(job.input, { bucket: 'artifacts', prefix: 'inbox/a/', name: 'a.zip', compression: 'auto' });
  assert.match(job.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  await waitFor(() => ctx.seen.length === 1, 'the command', { timeoutMs: 2000 });
  const event = ctx.seen[0]!;
  assert.is(event.subject, job.id);
  assert.is((event.data as { jobId: string; owner: string }).jobId, job.id);
  assert.is((event.data as { owner: string }).owner, 'team-a');
});

accept('a duplicate idempotency key returns the first job and publishes nothing more', async (ctx) => {
  const cmd = { type: 'zip' as const, owner: 'team-a', payload: zipPayload, idempotencyKey: 'k1', requestHash: 'h1' };
  const first = await acceptCommand(ctx.deps, cmd);
  const second = await acceptCommand(ctx.deps, cmd);
  assert.not.ok(second.created);
  assert.is(second.job.id, first.job.id);
  await waitFor(() => ctx.seen.length >= 1, 'the command', { timeoutMs: 2000 });
  const page = await ctx.jobs.list({ owner: 'team-a' });
  assert.is(page.items.length, 1);
  assert.is(ctx.seen.length, 1);
});

accept('the same key with another request hash is IDEMPOTENCY_MISMATCH', async (ctx) => {
  await acceptCommand(ctx.deps, { type: 'zip', owner: 'o', payload: zipPayload, idempotencyKey: 'k', requestHash: 'h1' });
  try {
    await acceptCommand(ctx.deps, { type: 'zip', owner: 'o', payload: zipPayload, idempotencyKey: 'k', requestHash: 'h2' });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.ok(isPipelineError(err));
    assert.is(err.code, ErrorCode.IDEMPOTENCY_MISMATCH);
  }
});

accept('an invalid command leaves no job behind', async (ctx) => {
  const bad = { ...zipPayload, output: { name: 'a/b.zip' } };
  try {
    await acceptCommand(ctx.deps, { type: 'zip', owner: 'o', payload: bad });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.ok(isPipelineError(err));
    assert.is(err.code, ErrorCode.INVALID_EVENT);
  }
  assert.is((await ctx.jobs.list({ owner: 'o' })).items.length, 0);
});

accept('a publish that keeps failing marks the job failed with PUBLISH_FAILED', async (ctx) => {
  await ctx.bus.close();
  let thrown: unknown;
  try {
    await acceptCommand(ctx.deps, { type: 'zip', owner: 'o', payload: zipPayload });
  } catch (err) {
    thrown = err;
  }
  assert.ok(isPipelineError(thrown));
  assert.is(thrown.code, ErrorCode.PUBLISH_FAILED);
  const jobId = thrown.context.jobId as string;
  const job = await ctx.jobs.get(jobId);
  assert.is(job?.status, 'failed');
  assert.is(job?.error?.code, ErrorCode.PUBLISH_FAILED);
});

accept('a command too large for the bus goes with its request stored; a failed publish leaves nothing behind', async (ctx) => {
  const dir = await mkdtemp(join(tmpdir(), 'accept-claim-'));
  try {
    const objects = createLocalObjectStore({ root: dir, publicBaseUrl: 'http://127.0.0.1:1', signingSecret: 's'.repeat(32) });
    await objects.ensureBucket('artifacts');
    const deps = { ...ctx.deps, claimCheck: { objects, bucket: 'artifacts', maxMessageBytes: 65_536 } };
    const keys = Array.from({ length: 1_000 }, (_, i) => `inbox/a/${String(i).padStart(4, '0')}-${'k'.repeat(80)}`);
    const payload = { ...zipPayload, source: { bucket: 'artifacts', keys } };
    const { job } = await acceptCommand(deps, { type: 'zip', owner: 'team-a', payload });
    assert.equal(job.input, { bucket: 'artifacts', keyCount: 1_000, name: 'a.zip', compression: 'auto' }, 'the record counts every key');
    await waitFor(() => ctx.seen.length === 1, 'the command', { timeoutMs: 2000 });
    const data = ctx.seen[0]!.data as { source: { keys: string[] }; requestRef: { key: string; bytes: number } };
    assert.equal(data.source.keys, []);
    assert.is(data.requestRef.key, `requests/${job.id}.json`);
    assert.is((await objects.head('artifacts', data.requestRef.key))?.size, data.requestRef.bytes);

    const failing = { ...deps, bus: { ...ctx.bus, publish: async () => { throw new Error('the bus is down'); } } as Bus };
    const err = await acceptCommand(failing, { type: 'zip', owner: 'team-a', payload }).catch((e: unknown) => e);
    assert.ok(isPipelineError(err) && err.code === ErrorCode.PUBLISH_FAILED);
    const failedId = String(err.context.jobId);
    assert.is(await objects.head('artifacts', `requests/${failedId}.json`), undefined, 'the stored request is removed again');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

accept.run();
