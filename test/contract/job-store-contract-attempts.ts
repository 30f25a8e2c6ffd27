/**
 * JobStore contract — countAttempt(): the durable per-job delivery count the job worker
 * takes before each build (a crashed delivery counts; Kafka keeps no count of its own).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { uniqueName } from '../harness/support.js';
import { newJob, type Ctx, type MakeJobStoreFixture } from './job-store-contract-support.js';

export function attemptCases(name: string, makeFixture: MakeJobStoreFixture): void {
  const test = suite<Ctx>(`${name} JobStore.countAttempt`, {} as Ctx);
  test.before.each(async (ctx) => {
    ctx.fixture = await makeFixture();
  });
  test.after.each(async (ctx) => {
    await ctx.fixture.close();
  });

  test('is a function', ({ fixture }) => {
    assert.type(fixture.store.countAttempt, 'function');
  });

  test('counts 1, 2, 3 and leaves the job record as it was', async ({ fixture: { store } }) => {
    const { job } = await store.create(newJob('ann'));
    assert.equal([await store.countAttempt(job.id), await store.countAttempt(job.id), await store.countAttempt(job.id)], [1, 2, 3]);
    assert.equal(await store.get(job.id), job, 'version, updatedAt and every field unchanged');
  });

  test('the count survives the changes applied to the job', async ({ fixture: { store } }) => {
    const { job } = await store.create(newJob('ann'));
    await store.countAttempt(job.id);
    const at = new Date().toISOString();
    await store.apply(job.id, { kind: 'started', attempt: 1, at });
    await store.apply(job.id, { kind: 'progressed', attempt: 1, at, progress: { bytesDone: 1, bytesTotal: 2, itemsDone: 1, itemsTotal: 2 } });
    assert.is(await store.countAttempt(job.id), 2);
  });

  test('concurrent counts from several connections lose none', async ({ fixture }) => {
    const { job } = await fixture.store.create(newJob('ann'));
    const stores = [fixture.store, ...(await fixture.peers(3))];
    const counts = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % stores.length]!.countAttempt(job.id)));
    assert.equal([...counts].sort((a, b) => a! - b!), Array.from({ length: 40 }, (_, i) => i + 1));
  });

  test('a job the store does not hold: undefined, and nothing is created', async ({ fixture: { store } }) => {
    const id = uniqueName('missing');
    assert.is(await store.countAttempt(id), undefined);
    assert.is(await store.get(id), undefined);
    assert.is(await store.countAttempt(id), undefined);
  });

  test.run();
}
