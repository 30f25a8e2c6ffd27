/**
 * JobStore contract — create() with and without idempotency claims, and markSeen().
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError } from '@artifact-pipeline/shared';
import { uniqueName, withDeadline } from '../harness/support.js';
import { newJob, type Ctx, type MakeJobStoreFixture } from './job-store-contract-support.js';

export function createCases(name: string, makeFixture: MakeJobStoreFixture): void {
  const test = suite<Ctx>(`${name} JobStore.create`, {} as Ctx);
  test.before.each(async (ctx) => {
    ctx.fixture = await makeFixture();
  });
  test.after.each(async (ctx) => {
    await ctx.fixture.close();
  });

  test('has the shape of a JobStore', ({ fixture }) => {
    for (const method of ['create', 'apply', 'get', 'list', 'subscribe', 'markSeen', 'ping', 'close'] as const) {
      assert.type(fixture.store[method], 'function', method);
    }
  });

  test('records a queued job that get() returns', async ({ fixture: { store } }) => {
    const job = newJob('ann', { createdAt: '2030-03-01T12:00:00.000Z' });
    const { job: created, created: isNew } = await store.create(job);
    assert.ok(isNew);
    assert.equal(await store.get(job.id), created);
    assert.equal(
      { id: created.id, type: created.type, owner: created.owner, status: created.status, attempt: created.attempt },
      { id: job.id, type: 'zip', owner: 'ann', status: 'queued', attempt: 0 },
    );
    assert.equal(created.input, job.input);
    assert.equal(created.progress, { bytesDone: 0, bytesTotal: 0, itemsDone: 0, itemsTotal: 0 });
    assert.is(created.createdAt, '2030-03-01T12:00:00.000Z');
    assert.is(created.version, 1);
    assert.is(await store.get(uniqueName('missing')), undefined);
  });

  test('the same idempotency key and body returns the same job', async ({ fixture: { store } }) => {
    const claim = { owner: 'ann', key: uniqueName('key'), requestHash: 'sha256:aaa' };
    const first = await store.create(newJob('ann'), claim);
    const again = await store.create(newJob('ann'), claim);
    assert.ok(first.created);
    assert.not.ok(again.created);
    assert.equal(again.job, first.job);
    const listed = await store.list({ owner: 'ann' });
    assert.equal(listed.items.map((j) => j.id), [first.job.id]);
  });

  test('the same key with another body throws IDEMPOTENCY_MISMATCH and creates nothing', async ({ fixture: { store } }) => {
    const key = uniqueName('key');
    const first = await store.create(newJob('ann'), { owner: 'ann', key, requestHash: 'sha256:aaa' });
    const other = newJob('ann');
    const err = await store.create(other, { owner: 'ann', key, requestHash: 'sha256:bbb' }).catch((e: unknown) => e);
    assert.ok(isPipelineError(err), String(err));
    assert.is(err.code, ErrorCode.IDEMPOTENCY_MISMATCH);
    assert.is(err.retriable, false);
    assert.is(err.context.jobId, first.job.id);
    assert.is(await store.get(other.id), undefined);
    assert.equal((await store.list({ owner: 'ann' })).items.map((j) => j.id), [first.job.id]);
  });

  test('keys are per owner', async ({ fixture: { store } }) => {
    const key = uniqueName('key');
    const ann = await store.create(newJob('ann'), { owner: 'ann', key, requestHash: 'h1' });
    const bob = await store.create(newJob('bob'), { owner: 'bob', key, requestHash: 'h2' });
    assert.ok(ann.created && bob.created);
    assert.is.not(ann.job.id, bob.job.id);
  });

  test('50 concurrent creates with one key make exactly one job', async ({ fixture }) => {
    const stores = [fixture.store, ...(await fixture.peers(4))];
    const claim = { owner: 'ann', key: uniqueName('key'), requestHash: 'sha256:same' };
    const results = await withDeadline(
      Promise.all(Array.from({ length: 50 }, (_, i) => stores[i % stores.length]!.create(newJob('ann'), claim))),
      15_000,
      '50 concurrent creates',
    );
    assert.is(results.filter((r) => r.created).length, 1);
    assert.is(new Set(results.map((r) => r.job.id)).size, 1);
    const listed = await fixture.store.list({ owner: 'ann', limit: 100 });
    assert.is(listed.items.length, 1);
  });

  test('a job id that exists already returns the existing job', async ({ fixture: { store } }) => {
    const job = newJob('ann', { input: { first: true } });
    await store.create(job);
    const again = await store.create({ ...job, input: { first: false } });
    assert.not.ok(again.created);
    assert.equal(again.job.input, { first: true });
    assert.is((await store.list({ owner: 'ann' })).items.length, 1);
  });

  test('refuses a job without id or owner', async ({ fixture: { store } }) => {
    for (const bad of [newJob('ann', { id: '' }), newJob('')]) {
      const err = await store.create(bad).catch((e: unknown) => e);
      assert.ok(isPipelineError(err) && err.code === ErrorCode.INVALID_INPUT, String(err));
    }
  });

  test('markSeen is true the first time, then false', async ({ fixture: { store } }) => {
    const marker = `${uniqueName('bucket')}:inbox/ann/b1/_READY:0055AED6DCD90281E5`;
    assert.is(await store.markSeen(marker, 60), true);
    assert.is(await store.markSeen(marker, 60), false);
    assert.is(await store.markSeen(`${marker}X`, 60), true);
  });

  test('ping answers', async ({ fixture: { store } }) => {
    await withDeadline(store.ping(), 5_000, 'ping');
  });

  test.run();
}
