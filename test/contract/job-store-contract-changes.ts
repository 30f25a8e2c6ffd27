/**
 * JobStore contract — subscribe(): each applied change reaches listeners in order, from
 * whichever store instance applied it, until the listener unsubscribes.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Job, JobChange } from '@artifact-pipeline/shared';
import { waitFor, withDeadline } from '../harness/support.js';
import { completedChange, iso, newJob, type Ctx, type MakeJobStoreFixture } from './job-store-contract-support.js';

const progressed = (n: number): JobChange => ({
  kind: 'progressed', attempt: 1, at: iso(1 + n),
  progress: { bytesDone: n * 10, bytesTotal: 100, itemsDone: n, itemsTotal: 10 },
});

export function changeCases(name: string, makeFixture: MakeJobStoreFixture): void {
  const test = suite<Ctx>(`${name} JobStore.subscribe`, {} as Ctx);
  test.before.each(async (ctx) => {
    ctx.fixture = await makeFixture();
  });
  test.after.each(async (ctx) => {
    await ctx.fixture.close();
  });

  test('a listener sees every applied change in order, not the ones that did not apply', async ({ fixture }) => {
    const [watcher] = await fixture.peers(1);
    const { store } = fixture;
    const { job } = await store.create(newJob('ann'));
    const seen: Job[] = [];
    const stop = await watcher!.subscribe(job.id, (j) => seen.push(j));
    const results = [];
    for (const change of [
      { kind: 'started', attempt: 1, at: iso(1) } as JobChange,
      progressed(2),
      progressed(1), // behind: not applied, not published
      progressed(5),
      completedChange(1, iso(9)),
      progressed(7), // after done: not applied
    ]) {
      results.push(await store.apply(job.id, change));
    }
    const applied = results.filter((r) => r.applied).map((r) => r.job!);
    await waitFor(() => seen.length >= applied.length, 'every change to reach the listener', { timeoutMs: 5_000 });
    assert.equal(seen, applied);
    assert.equal(seen.map((j) => j.version), [2, 3, 4, 5]);
    assert.equal(seen.map((j) => j.status), ['processing', 'processing', 'processing', 'done']);
    await stop();
  });

  test('stops after unsubscribe; other listeners of the job carry on', async ({ fixture }) => {
    const { store } = fixture;
    const [watcher] = await fixture.peers(1);
    const { job } = await store.create(newJob('ann'));
    const first: Job[] = [];
    const second: Job[] = [];
    const stopFirst = await watcher!.subscribe(job.id, (j) => first.push(j));
    const stopSecond = await watcher!.subscribe(job.id, (j) => second.push(j));
    await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
    await waitFor(() => first.length === 1 && second.length === 1, 'both listeners to see started', { timeoutMs: 5_000 });
    await stopFirst();
    await stopFirst(); // twice is harmless
    await store.apply(job.id, progressed(3));
    await store.apply(job.id, progressed(4));
    // changes arrive in order, so once the second listener has both, the first would have had them
    await waitFor(() => second.length === 3, 'the second listener to see both progress changes', { timeoutMs: 5_000 });
    assert.is(first.length, 1);
    assert.equal(second.map((j) => j.progress.bytesDone), [0, 30, 40]);
    await stopSecond();
  });

  test('listeners of other jobs hear nothing; one listener throwing does not stop another', async ({ fixture: { store } }) => {
    const { job: a } = await store.create(newJob('ann'));
    const { job: b } = await store.create(newJob('ann'));
    const heardB: Job[] = [];
    const heardA: Job[] = [];
    const stops = await Promise.all([
      store.subscribe(b.id, (j) => heardB.push(j)),
      store.subscribe(a.id, () => {
        throw new Error('listener bug');
      }),
      store.subscribe(a.id, (j) => heardA.push(j)),
    ]);
    await withDeadline(store.apply(a.id, { kind: 'started', attempt: 1, at: iso(1) }), 5_000, 'apply');
    await waitFor(() => heardA.length === 1, 'the healthy listener to hear the change', { timeoutMs: 5_000 });
    await store.apply(b.id, { kind: 'started', attempt: 1, at: iso(1) });
    await waitFor(() => heardB.length === 1, 'b to hear its own change', { timeoutMs: 5_000 });
    assert.is(heardB[0]!.id, b.id);
    assert.is(heardA.length, 1);
    for (const stop of stops) await stop();
  });

  test.run();
}
