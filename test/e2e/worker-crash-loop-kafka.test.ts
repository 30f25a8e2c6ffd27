/**
 * Crashes over Kafka, where the log keeps no delivery count: the attempt comes from the
 * job store's durable count (JobStore.countAttempt), taken before each build.
 *
 * - The crash loop of crash-loop-cases.ts, on a command topic of one partition.
 * - A kill mid-job: the job's attempt goes 1 → 2 as the status service projects it, and
 *   its percent keeps moving during the retry — every job.progressed of attempt 2 applies,
 *   also those below the killed run's high-water mark.
 *
 * Takes ~2–3 minutes: after each kill the group waits for the dead member's session (30 s).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { EventType, Topic, type Job, type JobStore, type PipelineEvent, type Subscription } from '@artifact-pipeline/shared';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { createProjector } from '../../services/status/src/project-event.js';
import { toJobView } from '../../services/status/src/job-view.js';
import { servers, waitFor, withDeadline } from '../harness/support.js';
import { closeWorld, completion, createWorld, ofJob, requestZip } from './zipper-e2e-support.js';
import { type CrashLoopCtx, closeCrashLoop, crashLoopCase } from './crash-loop-cases.js';
import { putBigSource, startZipper } from './crash-loop-support.js';

interface Ctx extends CrashLoopCtx {
  view?: JobStore;
  viewer?: Subscription;
}

const test = suite<Ctx>('zipper crashes over Kafka', { children: [], jobIds: [] });
test.before(async (ctx) => {
  ctx.world = await withDeadline(createWorld('kafka', { startZipper: false, jobKeyPrefix: '', partitions: 1 }), 90_000, 'the zipper world to start').catch((err: unknown) => {
    console.error('the zipper world did not start:', err);
    throw err;
  });
});
test.after(async (ctx) => {
  await ctx.viewer?.stop(0);
  await ctx.view?.close();
  await closeCrashLoop(ctx, closeWorld);
});

crashLoopCase(test);

test('killed mid-job: attempt 1 → 2, and every progress of the retry applies, so its percent keeps moving', async (ctx) => {
  const w = ctx.world!;
  const outputs = (): string => ctx.children.map((c) => `--- ${c.name} output:\n${c.output()}`).join('\n');
  // The crash loop's survivor would take the job: only the workers of this test run.
  await Promise.all(ctx.children.map((c) => c.stop(20_000)));
  await putBigSource(w, 'mid/', 16, randomBytes(8 * 1024 * 1024));
  const command = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'mid/' }, output: { name: 'mid.zip' }, options: { compression: 'deflate' } });
  const jobId = command.subject!;
  ctx.jobIds.push(jobId);

  // The job as the status service sees it: its projector over a store of its own.
  const view = (ctx.view = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${w.busPrefix}view:` }));
  await view.create({ id: jobId, type: 'zip', owner: 'alice', input: {}, createdAt: command.time });
  const project = createProjector({ jobs: view });
  const progressed: Array<{ attempt: number | undefined; bytesDone: number; applied: boolean }> = [];
  ctx.viewer = await w.bus.consume(Topic.events, async (event: PipelineEvent, delivery) => {
    if (event.subject !== jobId) return;
    const result = await project(event, delivery);
    if (event.type === EventType.jobProgressed) {
      const data = event.data as { attempt?: number; bytesDone: number };
      progressed.push({ attempt: data.attempt, bytesDone: data.bytesDone, applied: result.applied });
    }
  }, { group: 'status-view' });
  const samples: Job[] = [];
  const sample = async (): Promise<Job | undefined> => {
    const job = await view.get(jobId);
    if (job) samples.push(job);
    return job;
  };

  try {
    const first = await startZipper(w, 3, 'zipper-mid-1');
    ctx.children.push(first);
    const highWater = await waitFor(async () => {
      if (first.child.exitCode !== null) throw new Error(`zipper-mid-1 exited with ${first.child.exitCode}`);
      const job = await sample();
      const { bytesDone, bytesTotal } = job?.progress ?? { bytesDone: 0, bytesTotal: 0 };
      return job?.attempt === 1 && bytesTotal > 0 && bytesDone >= 0.6 * bytesTotal ? bytesDone : undefined;
    }, 'attempt 1 to be well into the job', { timeoutMs: 120_000, intervalMs: 50 });
    first.child.kill('SIGKILL');
    await withDeadline(first.exited, 10_000, 'the killed zipper to exit');

    const second = await startZipper(w, 3, 'zipper-mid-2');
    ctx.children.push(second);
    const sampling = (async () => {
      while ((await sample())?.status !== 'done' && second.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    })();
    await completion(w, jobId, 150_000);
    await withDeadline(sampling, 30_000, 'the view to show the job done');

    assert.equal(ofJob(w, jobId, EventType.jobStarted).map((e) => (e.data as { attempt: number }).attempt), [1, 2], 'the redelivery is attempt 2');
    const retry = progressed.filter((p) => p.attempt === 2);
    assert.ok(retry.length >= 2, `progress events of attempt 2: ${JSON.stringify(progressed)}`);
    assert.equal(retry.filter((p) => !p.applied), [], 'no progress of the current attempt discarded as stale');
    assert.ok(retry.some((p) => p.bytesDone < highWater), `attempt 2 reported progress below attempt 1's ${highWater} bytes`);
    const percents = samples.filter((j) => j.attempt === 2 && j.status === 'processing').map((j) => toJobView(j).progress.percent);
    assert.ok(new Set(percents.filter((p) => p > 0)).size >= 2, `the percent moves during the retry: ${JSON.stringify(percents)}`);
    for (let i = 1; i < percents.length; i++) assert.ok(percents[i]! >= percents[i - 1]!, `the percent never goes back: ${JSON.stringify(percents)}`);
    const final = toJobView(samples.at(-1)!);
    assert.equal([final.status, final.attempt, final.progress.percent], ['done', 2, 100]);
  } catch (err) {
    (err as Error).message += `\n${outputs()}`;
    throw err;
  }
});

test.run();
