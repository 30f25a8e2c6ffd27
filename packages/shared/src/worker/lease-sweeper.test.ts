import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryJobStore } from '../adapters/memory-job-store.js';
import { createMemoryLeases } from '../adapters/memory-leases.js';
import type { JobFailed } from '../events/payloads.js';
import { silentLogger } from '../logger.js';
import type { Job, JobStore } from '../ports/job-store.js';
import { decideSweep, startLeaseSweeper } from './lease-sweeper.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString();

function job(over: Partial<Job> = {}): Job {
  return {
    id: 'j1', type: 'zip', owner: 'ann', status: 'processing', attempt: 1,
    progress: { bytesDone: 5, bytesTotal: 10, itemsDone: 1, itemsTotal: 2 },
    createdAt: iso(0), updatedAt: iso(0), input: {}, version: 3, ...over,
  };
}
const facts = (nowS: number) => ({ nowMs: T0 + nowS * 1000, afterMs: 120_000, maxAttempts: 3 });

const decide = suite('decideSweep');
decide('keeps a job that is not processing, or changed within the window', () => {
  for (const status of ['queued', 'done', 'failed'] as const) assert.equal(decideSweep(job({ status }), facts(1_000)), { action: 'keep' }, status);
  assert.equal(decideSweep(job(), facts(119)), { action: 'keep' });
  assert.equal(decideSweep(job({ updatedAt: 'not a time' }), facts(1_000)), { action: 'keep' }, 'no guess on a bad time');
});
decide('past the window with attempts left: retry, LEASE_EXPIRED', () => {
  const d = decideSweep(job({ attempt: 2 }), facts(120));
  assert.is(d.action, 'retry');
  assert.is((d as { code: string }).code, 'LEASE_EXPIRED');
  assert.match((d as { message: string }).message, '120 s');
});
decide('the last attempt: fail, ATTEMPTS_EXHAUSTED', () => {
  const d = decideSweep(job({ attempt: 3 }), facts(500));
  assert.equal([d.action, (d as { code: string }).code], ['fail', 'ATTEMPTS_EXHAUSTED']);
});
decide('swept once and no redelivery within another window: fail, LEASE_EXPIRED', () => {
  const swept = job({ attempt: 1, updatedAt: iso(200), error: { code: 'LEASE_EXPIRED', message: 'x', retriable: true } });
  assert.equal(decideSweep(swept, facts(250)), { action: 'keep' }, 'still within the second window');
  const d = decideSweep(swept, facts(320));
  assert.equal([d.action, (d as { code: string }).code], ['fail', 'LEASE_EXPIRED']);
});
decide.run();

interface Ctx {
  jobs: JobStore;
  failed: JobFailed[];
  now: number;
}

const sweeper = suite<Ctx>('startLeaseSweeper', {} as Ctx);
sweeper.before.each((ctx) => {
  ctx.now = T0;
  ctx.jobs = createMemoryJobStore({ clock: () => ctx.now });
  ctx.failed = [];
});

async function processing(ctx: Ctx, id: string, attempt: number, type: 'zip' | 'report' = 'zip'): Promise<void> {
  await ctx.jobs.create({ id, type, owner: 'ann', input: {}, createdAt: iso(0) });
  await ctx.jobs.apply(id, { kind: 'started', attempt, at: iso(1) });
}

sweeper('gives up on a job without a live lease, leaves one a worker holds, and says which', async (ctx) => {
  const leases = createMemoryLeases();
  await processing(ctx, 'dead', 1);
  await processing(ctx, 'alive', 1);
  await processing(ctx, 'last', 3);
  await processing(ctx, 'report', 1, 'report');
  await leases.acquire('job:alive', 'a-live-worker', 3_600_000);
  const s = startLeaseSweeper({
    jobs: ctx.jobs, leases, jobType: 'zip', leaseName: (id) => `job:${id}`, afterMs: 120_000, intervalMs: 3_600_000,
    maxAttempts: 3, logger: silentLogger(), clock: () => ctx.now,
    emitFailed: async (data) => {
      ctx.failed.push(data);
      await ctx.jobs.apply(data.jobId, { kind: 'failed', attempt: data.attempt, at: new Date(ctx.now).toISOString(), error: data.error, final: data.final });
    },
  });
  try {
    assert.equal(await s.sweep(), [], 'nothing within the window');
    ctx.now = T0 + 200_000;
    const acted = await s.sweep();
    assert.equal(acted.sort((a, b) => a.jobId.localeCompare(b.jobId)), [{ jobId: 'dead', action: 'retry' }, { jobId: 'last', action: 'fail' }]);
    assert.equal(ctx.failed.map((f) => [f.jobId, f.error.code, f.final]).sort(), [['dead', 'LEASE_EXPIRED', false], ['last', 'ATTEMPTS_EXHAUSTED', true]]);
    assert.is((await ctx.jobs.get('dead'))!.status, 'processing', 'left to the redelivery');
    assert.is((await ctx.jobs.get('last'))!.status, 'failed');
    assert.is((await ctx.jobs.get('alive'))!.status, 'processing');
    assert.is((await ctx.jobs.get('report'))!.status, 'processing', 'another worker type sweeps its own');
    assert.ok(await leases.acquire('job:dead', 'next-worker', 1_000), 'the sweeper gave the lease back');
    await leases.release('job:dead', 'next-worker');
    ctx.now = T0 + 400_000;
    assert.equal(await s.sweep(), [{ jobId: 'dead', action: 'fail' }], 'no redelivery came: failed for good');
    assert.is((await ctx.jobs.get('dead'))!.status, 'failed');
    assert.is((await ctx.jobs.get('alive'))!.status, 'processing', 'a held lease is never swept');
  } finally {
    await s.stop();
  }
});
sweeper.run();
