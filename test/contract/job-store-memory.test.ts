/** The JobStore contract against the memory adapter, on an injected clock. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { jobStoreContract } from './job-store.contract.js';
import { iso, newJob } from './job-store-contract-support.js';

function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.parse('2030-03-01T00:00:00.000Z');
  return { now: () => t, advance: (ms) => void (t += ms) };
}

jobStoreContract('memory', async () => {
  const clock = manualClock();
  const store = createMemoryJobStore({ clock: clock.now });
  const others = [store];
  return {
    store,
    // one process, one store: "other connections" are the same instance
    peers: async (n) => Array.from({ length: n }, () => store),
    isolated: async (settings) => {
      const short = createMemoryJobStore({ clock: clock.now, ...settings });
      others.push(short);
      return short;
    },
    advance: clock.advance,
    close: async () => {
      for (const s of others) await s.close();
    },
  };
});

const retention = suite('createMemoryJobStore retention');

retention('each applied change keeps the job another retention period', async () => {
  const clock = manualClock();
  const store = createMemoryJobStore({ clock: clock.now, retentionSeconds: 10 });
  const { job } = await store.create(newJob('ann'));
  clock.advance(8_000);
  await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
  clock.advance(8_000);
  assert.is((await store.get(job.id))?.status, 'processing');
  clock.advance(2_001);
  assert.is(await store.get(job.id), undefined);
  await store.close();
});

retention('an idempotency claim lapses after its TTL', async () => {
  const clock = manualClock();
  const store = createMemoryJobStore({ clock: clock.now });
  const claim = { owner: 'ann', key: 'k', requestHash: 'h1', ttlSeconds: 60 };
  const first = await store.create(newJob('ann'), claim);
  clock.advance(61_000);
  const second = await store.create(newJob('ann'), { ...claim, requestHash: 'h2' });
  assert.ok(second.created);
  assert.is.not(second.job.id, first.job.id);
  await store.close();
});

retention.run();
