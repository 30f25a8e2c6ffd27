/**
 * The crash loop, on either bus: MAX_ATTEMPTS=2 and the zipper process SIGKILLed at the
 * start of every attempt (its own upload just opened). The next delivery is not built: the
 * job ends `failed` with ATTEMPTS_EXHAUSTED, the command's dead letter carries that reason,
 * no multipart upload is left open, and the next job on the same queue / partition runs.
 */
import * as assert from 'uvu/assert';
import type { Test } from 'uvu';
import { randomBytes } from 'node:crypto';
import { EventType, Topic, type DeadLetter } from '@artifact-pipeline/shared';
import { jobOutputPrefix } from '@artifact-pipeline/shared/worker/output-key';
import { waitFor } from '../harness/support.js';
import { forgetJobs, type ServiceProcess } from './pipeline-processes-support.js';
import { type ZipperWorld, completion, ofJob, putFiles, requestZip } from './zipper-e2e-support.js';
import { killAtOwnUpload, putBigSource, startZipper } from './crash-loop-support.js';

export interface CrashLoopCtx {
  world?: ZipperWorld;
  children: ServiceProcess[];
  jobIds: string[];
}

const MAX_ATTEMPTS = 2;

export function crashLoopCase(test: Test<CrashLoopCtx>): void {
  test('killed at every attempt: failed with ATTEMPTS_EXHAUSTED, dead letter with the reason, no upload open, the next job runs', async (ctx) => {
    const w = ctx.world!;
    const outputs = (): string => ctx.children.map((c) => `--- ${c.name} output:\n${c.output()}`).join('\n');
    try {
      await putBigSource(w, 'loop/', 16, randomBytes(8 * 1024 * 1024));
      const command = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'loop/' }, output: { name: 'loop.zip' }, options: { compression: 'deflate' } });
      const jobId = command.subject!;
      ctx.jobIds.push(jobId);
      const prefix = jobOutputPrefix('zips', new Date(command.time), jobId);
      const seen = new Set<string>();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const doomed = await startZipper(w, MAX_ATTEMPTS, `zipper-${attempt}`);
        ctx.children.push(doomed);
        await killAtOwnUpload(w, doomed, prefix, seen);
      }
      assert.ok((await w.objects.listIncompleteUploads(w.artifactsBucket, prefix)).length >= 1, 'the last killed attempt left its upload open');

      const survivor = await startZipper(w, MAX_ATTEMPTS, 'zipper-survivor');
      ctx.children.push(survivor);
      const failed = await waitFor(
        () => ofJob(w, jobId, EventType.jobFailed).find((e) => (e.data as { final: boolean }).final),
        `job ${jobId} to fail for good`,
        { timeoutMs: 150_000, intervalMs: 100 },
      );
      const data = failed.data as { attempt: number; error: { code: string; message: string; retriable: boolean } };
      assert.is(data.error.code, 'ATTEMPTS_EXHAUSTED');
      assert.is(data.error.retriable, false);
      assert.is(data.attempt, MAX_ATTEMPTS);
      assert.equal(ofJob(w, jobId, EventType.jobStarted).map((e) => (e.data as { attempt: number }).attempt), [1, 2], 'two attempts ran, a third never started');
      assert.is(ofJob(w, jobId, EventType.jobCompleted).length, 0);

      const job = await waitFor(async () => {
        const found = await w.jobs.get(jobId);
        return found?.status === 'failed' ? found : undefined;
      }, 'the read model to show the failure', { timeoutMs: 20_000 });
      assert.is(job.error?.code, 'ATTEMPTS_EXHAUSTED');

      const letters: DeadLetter[] = [];
      await waitFor(async () => {
        letters.push(...(await w.bus.drainDeadLetters(Topic.zipCommands)));
        return letters.length > 0;
      }, 'the command to be dead-lettered', { timeoutMs: 30_000, intervalMs: 500 });
      assert.is(letters.length, 1);
      assert.is(letters[0]!.reason.code, 'ATTEMPTS_EXHAUSTED', 'the dead letter carries the reason');
      assert.match(letters[0]!.reason.message, 'MAX_ATTEMPTS (2)');
      assert.match(letters[0]!.body, jobId, 'the command itself is kept');

      assert.equal(await w.objects.listIncompleteUploads(w.artifactsBucket, ''), [], 'no multipart upload open');

      // The same queue (or the topic's only partition) goes on: the next job completes.
      await putFiles(w, [['next/a.txt', Buffer.from('after the crash loop\n')]]);
      const next = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'next/' }, output: { name: 'next.zip' }, options: { compression: 'store' } });
      ctx.jobIds.push(next.subject!);
      const done = await completion(w, next.subject!, 90_000);
      assert.ok(done.output.size > 0);
    } catch (err) {
      (err as Error).message += `\n${outputs()}`;
      throw err;
    }
  });
}

export async function closeCrashLoop(ctx: CrashLoopCtx, close: (world: ZipperWorld | undefined) => Promise<void>): Promise<void> {
  await Promise.all(ctx.children.map((c) => c.stop(5_000)));
  await close(ctx.world);
  await forgetJobs(ctx.jobIds, 'alice');
}
