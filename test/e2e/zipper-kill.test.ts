/**
 * The zipper as a real process, configured only by its environment (SQS + moto + Redis):
 * SIGKILL it mid-job, start another. The redelivered command completes the job exactly
 * once, and the dead worker's multipart upload is gone (the next attempt aborts what is
 * left under the job's output prefix). Takes ~40 s: the SQS visibility timeout (30 s) has
 * to run out before the message is delivered again.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventType, Topic, createEvent } from '@artifact-pipeline/shared';
import { waitFor, withDeadline } from '../harness/support.js';
import { type ServiceProcess, forgetJobs, spawnService, workerEnv } from './pipeline-processes-support.js';
import { type ZipperWorld, closeWorld, completion, createWorld, ofJob, putFiles, requestZip } from './zipper-e2e-support.js';

interface Ctx {
  world?: ZipperWorld;
  children: ChildProcess[];
  jobIds: string[];
}

const startZipper = (world: ZipperWorld): Promise<ServiceProcess> => spawnService('zipper', workerEnv(world));

const test = suite<Ctx>('zipper process killed mid-job', { children: [], jobIds: [] });
test.before(async (ctx) => {
  // Jobs where the zipper process reads them (it refuses a command whose job it cannot find).
  ctx.world = await withDeadline(createWorld('sqs', { startZipper: false, jobKeyPrefix: '' }), 60_000, 'the zipper world to start');
});
test.after(async (ctx) => {
  for (const child of ctx.children) if (child.exitCode === null) child.kill('SIGKILL');
  await closeWorld(ctx.world);
  await forgetJobs(ctx.jobIds, 'alice');
});

test('the redelivered command completes the job once and no multipart upload is left', async (ctx) => {
  const w = ctx.world!;
  // 32 × 8 MiB of incompressible bytes, deflate forced: ~40 MB/s, so the job runs for seconds.
  const block = randomBytes(8 * 1024 * 1024);
  await withDeadline(putFiles(w, Array.from({ length: 32 }, (_, i) => [`big/part-${String(i).padStart(2, '0')}.bin`, block] as [string, Buffer]), 4), 120_000, 'the source upload');
  const first = await startZipper(w);
  ctx.children.push(first.child);
  const command = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'big/' }, output: { name: 'big.zip' }, options: { compression: 'deflate' } });
  const jobId = command.subject!;
  ctx.jobIds.push(jobId);
  await waitFor(
    () => {
      if (first.child.exitCode !== null) throw new Error(`the first zipper exited: ${first.output()}`);
      return ofJob(w, jobId, EventType.jobProgressed).some((e) => (e.data as { bytesDone: number }).bytesDone >= 48 * 1024 * 1024);
    },
    'the first zipper to be well into the job',
    { timeoutMs: 60_000, intervalMs: 50 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\nfirst zipper output:\n${first.output()}`);
  });
  const open = await w.objects.listIncompleteUploads(w.artifactsBucket, '');
  assert.ok(open.length >= 1, 'the first zipper has a multipart upload open');
  first.child.kill('SIGKILL');
  await withDeadline(first.exited, 10_000, 'the killed zipper to exit');

  const second = await startZipper(w);
  ctx.children.push(second.child);
  const done = await completion(w, jobId, 120_000).catch((err: Error) => {
    throw new Error(`${err.message}\nsecond zipper output:\n${second.output()}`);
  });
  assert.ok(done.output.size > 256 * 1024 * 1024);
  second.child.kill('SIGTERM');
  assert.is(await withDeadline(second.exited, 20_000, 'the second zipper to stop on SIGTERM'), 0, second.output());

  // Everything either zipper published is in the queue by now; a sentinel marks its end.
  const sentinel = randomUUID();
  await w.bus.publish(Topic.events, createEvent(EventType.jobStarted, { jobId: sentinel, type: 'zip', attempt: 1 }, { source: '/artifact-pipeline/e2e' }));
  await waitFor(() => w.events.some((e) => e.subject === sentinel), 'the sentinel event', { timeoutMs: 20_000 });
  assert.is(ofJob(w, jobId, EventType.jobCompleted).length, 1, 'job.completed once');
  assert.equal(await w.objects.listIncompleteUploads(w.artifactsBucket, ''), []);
});

test.run();
