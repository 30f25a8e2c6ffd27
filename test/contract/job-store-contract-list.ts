/**
 * JobStore contract — list(): newest first, cursor paging, status filter, admin view,
 * and retention (an expired job leaves get() and list() together).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError, type Job, type JobStore } from '@artifact-pipeline/shared';
import { uniqueName, waitFor } from '../harness/support.js';
import {
  allPages,
  completedChange,
  iso,
  newJob,
  newestFirst,
  type Ctx,
  type MakeJobStoreFixture,
} from './job-store-contract-support.js';

interface ListCtx extends Ctx {
  ann: Job[];
  bob: Job[];
}

/** 45 jobs for ann (in threes on the same ms, to test the id tie-break), 5 for bob; every 4th of ann's done. */
async function seed(store: JobStore): Promise<{ ann: Job[]; bob: Job[] }> {
  const batch = uniqueName('batch');
  const ann: Job[] = [];
  for (let i = 0; i < 45; i++) {
    const id = `${batch}-ann-${String(i).padStart(2, '0')}`;
    const { job } = await store.create(newJob('ann', { id, createdAt: iso(Math.floor(i / 3)) }));
    if (i % 4 === 0) {
      await store.apply(id, { kind: 'started', attempt: 1, at: iso(100) });
      ann.push((await store.apply(id, completedChange(1, iso(101)))).job!);
    } else {
      ann.push(job);
    }
  }
  const bob: Job[] = [];
  for (let i = 0; i < 5; i++) {
    bob.push((await store.create(newJob('bob', { id: `${batch}-bob-${i}`, createdAt: iso(i * 7) }))).job);
  }
  return { ann: ann.sort(newestFirst), bob: bob.sort(newestFirst) };
}

const ids = (jobs: Job[]): string[] => jobs.map((j) => j.id);

export function listCases(name: string, makeFixture: MakeJobStoreFixture): void {
  const test = suite<ListCtx>(`${name} JobStore.list`, {} as ListCtx);
  test.before.each(async (ctx) => {
    ctx.fixture = await makeFixture();
    Object.assign(ctx, await seed(ctx.fixture.store));
  });
  test.after.each(async (ctx) => {
    await ctx.fixture.close();
  });

  test('pages an owner newest first: 20, 20, 5, no duplicates', async ({ fixture: { store }, ann }) => {
    const { pages, items } = await allPages(store, { owner: 'ann', limit: 20 });
    assert.equal(pages.map((p) => p.length), [20, 20, 5]);
    assert.equal(ids(items), ids(ann));
    assert.equal(items, ann);
  });

  test('defaults to 20 per page and refuses limits outside 1..100', async ({ fixture: { store } }) => {
    assert.is((await store.list({ owner: 'ann' })).items.length, 20);
    for (const limit of [0, 101, 2.5]) {
      const err = await store.list({ owner: 'ann', limit }).catch((e: unknown) => e);
      assert.ok(isPipelineError(err) && err.code === ErrorCode.INVALID_INPUT, `limit ${limit}`);
    }
  });

  test('refuses a cursor it did not issue', async ({ fixture: { store } }) => {
    for (const cursor of ['nonsense!', Buffer.from('v1:x:y').toString('base64url'), '']) {
      const err = await store.list({ owner: 'ann', cursor }).catch((e: unknown) => e);
      assert.ok(isPipelineError(err) && err.code === ErrorCode.INVALID_INPUT, `cursor ${cursor}`);
    }
  });

  test('filters by status while paging', async ({ fixture: { store }, ann }) => {
    const done = ann.filter((j) => j.status === 'done');
    const queued = ann.filter((j) => j.status === 'queued');
    assert.is(done.length, 12);
    const doneListed = await allPages(store, { owner: 'ann', status: 'done', limit: 5 });
    assert.equal(ids(doneListed.items), ids(done));
    assert.ok(doneListed.pages.slice(0, -1).every((p) => p.length === 5), 'full pages until the last');
    assert.equal(ids((await allPages(store, { owner: 'ann', status: 'queued', limit: 100 })).items), ids(queued));
    assert.equal((await allPages(store, { owner: 'bob', status: 'done', limit: 10 })).items, []);
  });

  test('a page does not repeat or skip when newer jobs arrive between pages', async ({ fixture: { store }, ann }) => {
    const first = await store.list({ owner: 'ann', limit: 10 });
    await store.create(newJob('ann', { createdAt: iso(500) }));
    const second = await store.list({ owner: 'ann', limit: 10, cursor: first.nextCursor! });
    assert.equal(ids([...first.items, ...second.items]), ids(ann.slice(0, 20)));
  });

  test('without an owner (admin) every owner is listed', async ({ fixture: { store }, ann, bob }) => {
    const { items } = await allPages(store, { limit: 100 });
    assert.equal(ids(items), ids([...ann, ...bob].sort(newestFirst)));
    const { pages } = await allPages(store, { limit: 30 });
    assert.equal(pages.map((p) => p.length), [30, 20]);
  });

  test('a filtered listing bounded in work per call still reaches every match', async ({ fixture }) => {
    const store = await fixture.isolated({ maxScanPerList: 10 });
    const done: Job[] = [];
    for (let i = 0; i < 35; i++) {
      const { job } = await store.create(newJob('ann', { createdAt: iso(i) }));
      // only the three oldest are done: the first calls find nothing within their bound
      if (i < 3) {
        await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(100) });
        done.push((await store.apply(job.id, completedChange(1, iso(101)))).job!);
      }
    }
    const { pages, items } = await allPages(store, { owner: 'ann', status: 'done', limit: 20 });
    assert.equal(ids(items), ids(done.sort(newestFirst)));
    assert.equal(pages[0], [], 'the first call stops at its bound with a cursor');
    assert.ok(pages.length <= 5, `${pages.length} calls`);
  });

  test('an unknown owner has no jobs', async ({ fixture: { store } }) => {
    assert.equal(await store.list({ owner: uniqueName('nobody') }), { items: [] });
  });

  test.run();

  const retention = suite<Ctx>(`${name} JobStore retention`, {} as Ctx);
  retention.before.each(async (ctx) => {
    ctx.fixture = await makeFixture();
  });
  retention.after.each(async (ctx) => {
    await ctx.fixture.close();
  });

  retention('an expired job leaves get() and list() together', async ({ fixture }) => {
    const store = await fixture.isolated({ retentionSeconds: 1 });
    const owner = uniqueName('owner');
    const { job } = await store.create(newJob(owner));
    await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
    assert.is((await store.list({ owner })).items.length, 1);
    fixture.advance(1_500);
    await waitFor(async () => (await store.get(job.id)) === undefined, 'the job to expire', { timeoutMs: 10_000 });
    assert.equal(await store.list({ owner }), { items: [] });
    assert.equal(await store.list({}), { items: [] });
    assert.equal(await store.apply(job.id, { kind: 'started', attempt: 2, at: iso(2) }), { applied: false });
  });

  retention.run();
}
