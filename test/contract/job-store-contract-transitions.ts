/**
 * JobStore contract — apply(): transitions are monotonic whatever order, duplication or
 * concurrency the changes arrive with (DESIGN §5, ports/job-store.ts).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Job, JobChange, JobStore } from '@artifact-pipeline/shared';
import { uniqueName, withDeadline } from '../harness/support.js';
import {
  completedChange,
  iso,
  isFinal,
  newJob,
  outcome,
  record,
  seededRandom,
  shuffled,
  twoAttemptLifecycle,
  withDuplicates,
  type Ctx,
  type MakeJobStoreFixture,
} from './job-store-contract-support.js';

/** Applies `changes` one after another, checking that nothing observed goes backwards. */
async function applyInOrder(store: JobStore, jobId: string, changes: JobChange[], seed: number): Promise<Job> {
  let seen = (await store.get(jobId))!;
  for (const change of changes) {
    const { applied, job } = await store.apply(jobId, change);
    assert.ok(job, `seed ${seed}: apply returns the job`);
    const where = `seed ${seed}, ${change.kind}(${change.attempt})`;
    assert.is(job.version, applied ? seen.version + 1 : seen.version, `${where}: version`);
    assert.ok(job.attempt >= seen.attempt, `${where}: attempt went back`);
    if (isFinal(seen)) assert.equal(job, seen, `${where}: a final job changed`);
    if (!applied) assert.equal(job, seen, `${where}: not applied yet changed`);
    seen = job;
  }
  assert.equal(await store.get(jobId), seen);
  return seen;
}

export function transitionCases(name: string, makeFixture: MakeJobStoreFixture): void {
  const test = suite<Ctx>(`${name} JobStore.apply`, {} as Ctx);
  test.before.each(async (ctx) => {
    ctx.fixture = await makeFixture();
  });
  test.after.each(async (ctx) => {
    await ctx.fixture.close();
  });

  const lifecycle = twoAttemptLifecycle();

  test('in order, the lifecycle ends done with the completion of attempt 2', async ({ fixture: { store } }) => {
    const { job } = await store.create(newJob('ann'));
    const done = await applyInOrder(store, job.id, lifecycle, 0);
    assert.is(done.status, 'done');
    assert.is(done.attempt, 2);
    assert.is(done.version, 1 + lifecycle.length);
    assert.is(done.error, undefined);
    assert.is(done.startedAt, lifecycle.find((c) => c.kind === 'started' && c.attempt === 2)!.at);
    assert.is(done.finishedAt, lifecycle.at(-1)!.at);
    assert.equal(done.progress, { bytesDone: 10_000, bytesTotal: 10_000, itemsDone: 10, itemsTotal: 10 });
    assert.equal(done.output?.key, 'zips/2030/03/01/b1.zip');
    assert.equal(done.manifest, { included: [{ name: 'a.txt', size: 10 }], skipped: [] });
  });

  test('updatedAt is the time of the latest change applied, whatever the store clock reads, and never goes back', async ({ fixture: { store } }) => {
    // The lifecycle's times are years away from now: the store's clock cannot be what shows.
    const { job } = await store.create(newJob('ann'));
    const first = await store.apply(job.id, lifecycle[0]!);
    assert.is(first.job?.updatedAt, lifecycle[0]!.at);
    const done = await applyInOrder(store, job.id, lifecycle.slice(1), 0);
    assert.is(done.updatedAt, lifecycle.at(-1)!.at);
    // Replayed later (a redelivery after an outage), the record is unchanged.
    const again = await store.apply(job.id, lifecycle.at(-1)!);
    assert.is(again.applied, false);
    assert.is(again.job?.updatedAt, lifecycle.at(-1)!.at);
  });

  test('20 seeded shuffles with duplicates end in the same outcome as in order', async ({ fixture: { store } }) => {
    const { job } = await store.create(newJob('ann'));
    const expected = outcome(await applyInOrder(store, job.id, lifecycle, 0));
    for (let seed = 1; seed <= 20; seed++) {
      const { job: twin } = await store.create(newJob('ann'));
      const changes = withDuplicates(lifecycle, 6, seededRandom(seed));
      const final = await applyInOrder(store, twin.id, changes, seed);
      assert.equal(outcome(final), { ...expected, id: twin.id, createdAt: twin.createdAt }, `seed ${seed}`);
    }
  });

  test('with the completion last, the whole record converges (progress, startedAt)', async ({ fixture: { store } }) => {
    const { job } = await store.create(newJob('ann', { id: uniqueName('inorder') }));
    const expected = record(await applyInOrder(store, job.id, lifecycle, 0));
    const body = lifecycle.slice(0, -1);
    const last = lifecycle.at(-1)!;
    for (let seed = 101; seed <= 120; seed++) {
      const random = seededRandom(seed);
      const { job: twin } = await store.create({ ...newJob('ann'), createdAt: job.createdAt });
      const changes = [...withDuplicates(body, 6, random), last, ...shuffled(body, random).slice(0, 3), last];
      const final = await applyInOrder(store, twin.id, changes, seed);
      assert.equal(record(final), { ...expected, id: twin.id }, `seed ${seed}`);
    }
  });

  test('concurrent application from several connections converges', async ({ fixture }) => {
    const stores = [fixture.store, ...(await fixture.peers(5))];
    const { job: reference } = await fixture.store.create(newJob('ann'));
    const expected = outcome(await applyInOrder(fixture.store, reference.id, lifecycle, 0));
    const jobs = await Promise.all(Array.from({ length: 8 }, () => fixture.store.create(newJob('ann'))));
    await withDeadline(
      Promise.all(
        jobs.flatMap(({ job }, j) =>
          withDuplicates(lifecycle, 8, seededRandom(1000 + j)).map((change, i) =>
            stores[(i + j) % stores.length]!.apply(job.id, change),
          ),
        ),
      ),
      20_000,
      'concurrent apply',
    );
    for (const { job } of jobs) {
      const final = await fixture.store.get(job.id);
      assert.equal(outcome(final), { ...expected, id: job.id, createdAt: job.createdAt });
    }
  });

  test('racing progress from several connections keeps the furthest', async ({ fixture }) => {
    const stores = [fixture.store, ...(await fixture.peers(5))];
    const { job } = await fixture.store.create(newJob('ann'));
    await fixture.store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
    const steps = shuffled(Array.from({ length: 60 }, (_, i) => i + 1), seededRandom(7));
    const results = await withDeadline(
      Promise.all(
        steps.map((n, i) =>
          stores[i % stores.length]!.apply(job.id, {
            kind: 'progressed', attempt: 1, at: iso(1 + n),
            progress: { bytesDone: n * 100, bytesTotal: 6000, itemsDone: n, itemsTotal: 60 },
          }),
        ),
      ),
      20_000,
      'racing progress',
    );
    const final = (await fixture.store.get(job.id))!;
    assert.equal(final.progress, { bytesDone: 6000, bytesTotal: 6000, itemsDone: 60, itemsTotal: 60 });
    // every applied change bumped the version exactly once: no lost or doubled write
    assert.is(final.version, 2 + results.filter((r) => r.applied).length);
    const versions = results.filter((r) => r.applied).map((r) => r.job!.version).sort((a, b) => a - b);
    assert.equal(versions, versions.map((_, i) => 3 + i));
  });

  test('a completed job shows all its work done, even when the last progress was not sent', async ({ fixture: { store } }) => {
    const { job } = await store.create(newJob('ann'));
    await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
    await store.apply(job.id, {
      kind: 'progressed', attempt: 1, at: iso(2),
      progress: { bytesDone: 4000, bytesTotal: 10_000, itemsDone: 3, itemsTotal: 10 },
    });
    const { job: done } = await store.apply(job.id, completedChange(1, iso(3)));
    assert.equal(done?.progress, { bytesDone: 10_000, bytesTotal: 10_000, itemsDone: 10, itemsTotal: 10 });
  });

  test('a late progressed after completed does not change the job', async ({ fixture: { store } }) => {
    const { job } = await store.create(newJob('ann'));
    await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
    const { job: done } = await store.apply(job.id, completedChange(1, iso(3)));
    const late = await store.apply(job.id, {
      kind: 'progressed', attempt: 1, at: iso(2),
      progress: { bytesDone: 5, bytesTotal: 10, itemsDone: 1, itemsTotal: 2 },
    });
    assert.is(late.applied, false);
    assert.equal(late.job, done);
    assert.equal(await store.get(job.id), done);
  });

  test('a final failure absorbs a later started', async ({ fixture: { store } }) => {
    const { job } = await store.create(newJob('ann'));
    await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
    const error = { code: 'SOURCE_NOT_FOUND', message: 'no objects under inbox/ann/b1/', retriable: false };
    const { job: failed } = await store.apply(job.id, { kind: 'failed', attempt: 1, at: iso(2), final: true, error });
    assert.is(failed?.status, 'failed');
    assert.equal(failed?.error, error);
    assert.is(failed?.finishedAt, iso(2));
    const again = await store.apply(job.id, { kind: 'started', attempt: 2, at: iso(3) });
    assert.is(again.applied, false);
    assert.equal(await store.get(job.id), failed);
  });

  test('a non-final failure keeps the job processing with its error', async ({ fixture: { store } }) => {
    const { job } = await store.create(newJob('ann'));
    const error = { code: 'THROTTLED', message: 'SlowDown', retriable: true };
    const { job: retrying } = await store.apply(job.id, { kind: 'failed', attempt: 1, at: iso(2), final: false, error });
    assert.is(retrying?.status, 'processing');
    assert.equal(retrying?.error, error);
    assert.is(retrying?.finishedAt, undefined);
  });

  test('a change for a job that does not exist is not applied and creates nothing', async ({ fixture: { store } }) => {
    const id = uniqueName('ghost');
    const result = await store.apply(id, { kind: 'started', attempt: 1, at: iso(1) });
    assert.equal(result, { applied: false });
    assert.is(await store.get(id), undefined);
  });

  test.run();
}
