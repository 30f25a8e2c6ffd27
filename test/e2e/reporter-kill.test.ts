/**
 * The reporter as a real process, configured only by its environment (SQS + moto + Redis):
 * SIGKILL it while it renders a large XLSX (its multipart upload open), start another. Once
 * the SQS visibility timeout (30 s) and the dead worker's lease (15 s) have run out, the
 * second worker takes the redelivered command, aborts the upload the first one left, and
 * completes the job exactly once with a workbook openpyxl reads in full. Takes ~60–90 s.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { EventType, Topic, createEvent } from '@artifact-pipeline/shared';
import { waitFor, withDeadline } from '../harness/support.js';
import { type ServiceProcess, forgetJobs, spawnService, workerEnv } from './pipeline-processes-support.js';
import {
  type ReporterWorld, artifactKeys, closeWorld, completion, createWorld, download, ofJob, openpyxlScan, outputPrefixOf,
  putSource, requestReport, withScratch,
} from './reporter-e2e-support.js';

interface Ctx {
  world?: ReporterWorld;
  children: ChildProcess[];
  jobIds: string[];
}

const startReporter = (world: ReporterWorld, logLevel: string): Promise<ServiceProcess> => spawnService('reporter', workerEnv(world, { logLevel }));

const test = suite<Ctx>('reporter process killed mid-render', { children: [], jobIds: [] });
test.before(async (ctx) => {
  // uvu swallows an error thrown here (docs/testing.md): say what it was.
  ctx.world = await withDeadline(createWorld('sqs', { startReporter: false, jobKeyPrefix: '' }), 60_000, 'the reporter world to start').catch((err: unknown) => {
    console.error('the reporter world did not start:', err);
    throw err;
  });
});
test.after(async (ctx) => {
  for (const child of ctx.children) if (child.exitCode === null) child.kill('SIGKILL');
  await closeWorld(ctx.world);
  await forgetJobs(ctx.jobIds, ctx.world?.owner);
});

test('the redelivered command completes the job once, the dead upload is aborted, the workbook is whole', async (ctx) => {
  const w = ctx.world!;
  // 40,000 rows of 1,500 incompressible characters: ~60 MB of CSV, ~45 MB of XLSX, so the
  // first 8 MiB part is uploaded (the multipart upload is open) long before the end.
  const ROWS = 40_000;
  const WIDTH = 1_500;
  const pool = randomBytes(4 << 20).toString('base64');
  const blobOf = (i: number): string => {
    const at = (i * 7919) % (pool.length - WIDTH);
    return pool.slice(at, at + WIDTH);
  };
  await withDeadline(putSource(w, 'large/rows.csv', (function* () {
    let chunk = 'id,blob,amount\n';
    for (let i = 0; i < ROWS; i++) {
      chunk += `${i},${blobOf(i)},${i / 4}\n`;
      if (chunk.length >= 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk;
  })()), 120_000, 'the source upload');

  const first = await startReporter(w, 'warn');
  ctx.children.push(first.child);
  const command = await requestReport(w, {
    format: 'xlsx', title: 'Large', output: { name: 'large.xlsx' },
    columns: [{ key: 'id', header: 'Id', type: 'number' }, { key: 'blob', header: 'Blob' }, { key: 'amount', header: 'Amount', type: 'currency' }],
    source: { bucket: w.sourceBucket, key: 'large/rows.csv', format: 'csv' },
  });
  const jobId = command.subject!;
  ctx.jobIds.push(jobId);
  const prefix = outputPrefixOf(command);
  const open = await waitFor(
    async () => {
      if (first.child.exitCode !== null) throw new Error(`the first reporter exited: ${first.output()}`);
      const uploads = await w.objects.listIncompleteUploads(w.artifactsBucket, prefix);
      return uploads.length > 0 && uploads;
    },
    'the first reporter to be uploading the report',
    { timeoutMs: 90_000, intervalMs: 100 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\nfirst reporter output:\n${first.output()}`);
  });
  first.child.kill('SIGKILL');
  await withDeadline(first.exited, 10_000, 'the killed reporter to exit');
  assert.equal(ofJob(w, jobId, EventType.jobCompleted), [], 'killed before it finished');
  assert.equal((await w.objects.listIncompleteUploads(w.artifactsBucket, prefix)).map((u) => u.uploadId), open.map((u) => u.uploadId), 'the dead worker left its upload open');

  const second = await startReporter(w, 'info');
  ctx.children.push(second.child);
  const done = await completion(w, jobId, 150_000).catch((err: Error) => {
    throw new Error(`${err.message}\nsecond reporter output:\n${second.output()}`);
  });
  assert.is(done.manifest.included, ROWS);
  assert.ok(done.output.size > 32 * 1024 * 1024, `a large workbook (${done.output.size} bytes)`);
  second.child.kill('SIGTERM');
  assert.is(await withDeadline(second.exited, 20_000, 'the second reporter to stop on SIGTERM'), 0, second.output());
  for (const upload of open) {
    assert.ok(second.output().includes(upload.uploadId), `the second reporter aborted the dead upload ${upload.uploadId}`);
  }

  // Everything either reporter published is in the queue by now; a sentinel marks its end.
  const sentinel = randomUUID();
  await w.bus.publish(Topic.events, createEvent(EventType.jobStarted, { jobId: sentinel, type: 'report', attempt: 1 }, { source: '/artifact-pipeline/e2e' }));
  await waitFor(() => w.events.some((e) => e.subject === sentinel), 'the sentinel event', { timeoutMs: 20_000 });
  assert.is(ofJob(w, jobId, EventType.jobCompleted).length, 1, 'job.completed once');
  assert.equal(ofJob(w, jobId, EventType.jobFailed), [], 'no job.failed');
  assert.equal(ofJob(w, jobId, EventType.jobStarted).map((e) => (e.data as { attempt: number }).attempt), [1, 2], 'started by each worker');
  assert.equal(await w.objects.listIncompleteUploads(w.artifactsBucket, ''), [], 'no multipart upload left');
  assert.equal(await artifactKeys(w, prefix), [done.output.key], 'one artifact');

  const picked = [0, 1, 12_345, ROWS - 1];
  const { sheets } = await withScratch(async (dir) => {
    const file = path.join(dir, 'large.xlsx');
    await download(done.downloadUrl, file, 120_000);
    return openpyxlScan(file, [1, ...picked.map((i) => i + 2)]);
  });
  assert.equal(sheets.map((s) => [s.title, s.rows]), [['Large', ROWS + 1]], 'the header and every row');
  assert.equal(sheets[0]!.picked['1'], [['Id', 'str'], ['Blob', 'str'], ['Amount', 'str']]);
  for (const i of picked) {
    assert.equal(sheets[0]!.picked[String(i + 2)], [[i, 'int'], [blobOf(i), 'str'], [i / 4, Number.isInteger(i / 4) ? 'int' : 'float']], `row ${i + 2}`);
  }
});

test.run();
