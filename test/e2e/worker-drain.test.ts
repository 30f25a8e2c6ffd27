/**
 * Draining a worker as Kubernetes does it (DESIGN §4 "SIGTERM"): a zipper (then a reporter)
 * process, configured only by its environment with the SHUTDOWN_GRACE_SECONDS the Helm chart
 * gives it, gets SIGTERM in the middle of a job. It must exit with code 0 within the pod's
 * terminationGracePeriodSeconds (the chart: the grace plus a margin), and after a second
 * worker has started the job has completed exactly once (one job.completed on
 * artifacts.events), its artifact is valid, and no multipart upload is left open under the
 * job's output prefix. With the chart's grace the drained worker finishes the job it holds;
 * a last case gives the zipper a grace the job cannot meet, so the job is released instead:
 * its upload aborted, the message back on the queue for the next worker. SQS (moto), moto S3
 * and Redis.
 *
 * The chart's numbers come from charts/artifact-pipeline/values.yaml, parsed with the `yaml`
 * package; the formulas (SHUTDOWN_GRACE_SECONDS = the service's override or config's;
 * terminationGracePeriodSeconds = that plus terminationGraceMarginSeconds) are checked in
 * the templates by pattern.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { EventType, Topic, createEvent, type PipelineEvent, type ReportRequested } from '@artifact-pipeline/shared';
import { unzip } from '../../services/reporter/src/unzip-for-tests.js';
import { waitFor, withDeadline } from '../harness/support.js';
import { REPO } from './local-mode-support.js';
import { forgetJobs, spawnService, untilHealthy, workerEnv, type ServiceProcess } from './pipeline-processes-support.js';
import { type ZipperWorld, closeWorld, createWorld, ofJob, putFiles, requestZip } from './zipper-e2e-support.js';

type Worker = 'zipper' | 'reporter';
interface ChartGrace {
  /** SHUTDOWN_GRACE_SECONDS the chart sets. */
  shutdownGraceSeconds: number;
  /** terminationGracePeriodSeconds of the pod. */
  terminationGracePeriodSeconds: number;
}

const CHART = path.join(REPO, 'charts/artifact-pipeline');

async function chartGrace(worker: Worker): Promise<ChartGrace> {
  const values = parseYaml(await readFile(path.join(CHART, 'values.yaml'), 'utf8')) as {
    config: { shutdownGraceSeconds: number };
  } & Record<Worker, { shutdownGraceSeconds: number | null; terminationGraceMarginSeconds: number }>;
  const helpers = await readFile(path.join(CHART, 'templates/_helpers.tpl'), 'utf8');
  const pod = await readFile(path.join(CHART, 'templates/_pod.tpl'), 'utf8');
  // The formulas the numbers go through (read by pattern: Go templates are no YAML).
  assert.match(pod, /terminationGracePeriodSeconds: \{\{ include "ap\.terminationGrace" \. \}\}/);
  assert.match(helpers, /define "ap\.terminationGrace"[\s\S]*?add \(include "ap\.graceSeconds" \. \| int\) \$values\.terminationGraceMarginSeconds/);
  assert.match(helpers, /define "ap\.graceSeconds"[\s\S]*?kindIs "invalid" \$values\.shutdownGraceSeconds[\s\S]*?\.root\.Values\.config\.shutdownGraceSeconds[\s\S]*?\$values\.shutdownGraceSeconds/);
  assert.match(helpers, /- name: SHUTDOWN_GRACE_SECONDS\s+value: \{\{ include "ap\.graceSeconds" \. \| quote \}\}/);
  const own = values[worker];
  const shutdownGraceSeconds = own.shutdownGraceSeconds ?? values.config.shutdownGraceSeconds;
  return { shutdownGraceSeconds, terminationGracePeriodSeconds: shutdownGraceSeconds + own.terminationGraceMarginSeconds };
}

interface Ctx {
  world?: ZipperWorld;
  children: ServiceProcess[];
  jobIds: string[];
}

async function startWorker(ctx: Ctx, worker: Worker, graceSeconds: number, label: string): Promise<ServiceProcess> {
  const proc = await spawnService(worker, workerEnv(ctx.world!, { graceSeconds, logLevel: 'info' }), label);
  ctx.children.push(proc);
  await untilHealthy(proc);
  return proc;
}

const withOutput = (procs: ServiceProcess[]) => (err: Error): never => {
  err.message += procs.map((p) => `\n--- ${p.name} output:\n${p.output()}`).join('');
  throw err;
};

/** Waits until `worker` is mid-way through the job: a job.progressed with bytesDone > 0 and no job.completed yet. */
async function midway(ctx: Ctx, proc: ServiceProcess, jobId: string): Promise<{ bytesDone: number; bytesTotal: number }> {
  const w = ctx.world!;
  const progressed = await waitFor(
    () => {
      if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}`);
      return ofJob(w, jobId, EventType.jobProgressed).map((e) => e.data as { bytesDone: number; bytesTotal: number }).find((d) => d.bytesDone > 0);
    },
    `${proc.name} to report progress on job ${jobId}`,
    { timeoutMs: 90_000, intervalMs: 50 },
  );
  assert.is(ofJob(w, jobId, EventType.jobCompleted).length, 0, 'the job is not done when SIGTERM is sent');
  assert.ok(progressed.bytesDone < progressed.bytesTotal, `mid-way: ${progressed.bytesDone} of ${progressed.bytesTotal} bytes`);
  return progressed;
}

/** SIGTERM; the exit code, which must come within the pod's terminationGracePeriodSeconds. */
async function drain(proc: ServiceProcess, grace: ChartGrace): Promise<number | null> {
  proc.child.kill('SIGTERM');
  return withDeadline(proc.exited, grace.terminationGracePeriodSeconds * 1000, `${proc.name} to exit after SIGTERM within terminationGracePeriodSeconds`);
}

/** Publishes a sentinel after everything the workers sent, and waits for it: the events seen are then complete. */
async function allEventsSeen(w: ZipperWorld): Promise<void> {
  const sentinel = randomUUID();
  await w.bus.publish(Topic.events, createEvent(EventType.jobStarted, { jobId: sentinel, type: 'zip', attempt: 1 }, { source: '/artifact-pipeline/e2e' }));
  await waitFor(() => w.events.some((e) => e.subject === sentinel), 'the sentinel event', { timeoutMs: 30_000, intervalMs: 100 });
}

function completedOnce(w: ZipperWorld, jobId: string): { output: { bucket: string; key: string; size: number; contentType: string } } {
  const completed = ofJob(w, jobId, EventType.jobCompleted);
  assert.is(completed.length, 1, 'job.completed exactly once');
  const failed = ofJob(w, jobId, EventType.jobFailed);
  assert.equal(failed.map((e) => e.data), [], 'no job.failed: a drain is no failure');
  return completed[0]!.data as { output: { bucket: string; key: string; size: number; contentType: string } };
}

const outputPrefix = (key: string): string => key.slice(0, key.lastIndexOf('/') + 1);
const PYTHON = process.env.TEST_PYTHON ?? 'python3';

const test = suite<Ctx>('a worker drained by SIGTERM with the chart grace', { children: [], jobIds: [] });
test.after(async (ctx) => {
  await Promise.all(ctx.children.map((c) => c.stop(5_000)));
  await closeWorld(ctx.world);
  await forgetJobs(ctx.jobIds, 'alice');
});

test('the chart gives each worker a grace and a longer terminationGracePeriodSeconds', async () => {
  for (const worker of ['zipper', 'reporter'] as const) {
    const grace = await chartGrace(worker);
    assert.ok(grace.shutdownGraceSeconds >= 1 && grace.shutdownGraceSeconds <= 3600, `${worker}: ${grace.shutdownGraceSeconds}`);
    assert.ok(grace.terminationGracePeriodSeconds > grace.shutdownGraceSeconds, `${worker}: the pod outlives the drain`);
  }
});

test('zipper: SIGTERM mid-job → exit 0 within the grace; the job completes once, no upload left open', async (ctx) => {
  ctx.world = await withDeadline(createWorld('sqs', { startZipper: false, jobKeyPrefix: '' }), 60_000, 'the zipper world to start');
  const w = ctx.world;
  const grace = await chartGrace('zipper');
  // 16 × 8 MiB of incompressible bytes, deflate forced: a job of several seconds.
  const blocks = Array.from({ length: 16 }, (_, i) => [`big/part-${String(i).padStart(2, '0')}.bin`, randomBytes(8 * 1024 * 1024)] as [string, Buffer]);
  await withDeadline(putFiles(w, blocks, 4), 120_000, 'the source upload');
  const first = await startWorker(ctx, 'zipper', grace.shutdownGraceSeconds, 'zipper-1');

  const command = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'big/' }, output: { name: 'big.zip' }, options: { compression: 'deflate' } });
  const jobId = command.subject!;
  ctx.jobIds.push(jobId);
  await midway(ctx, first, jobId).catch(withOutput([first]));
  assert.is(await drain(first, grace).catch(withOutput([first])), 0, first.output());

  const second = await startWorker(ctx, 'zipper', grace.shutdownGraceSeconds, 'zipper-2');
  await waitFor(() => ofJob(w, jobId, EventType.jobCompleted).length > 0, `job ${jobId} to complete`, { timeoutMs: 120_000, intervalMs: 100 })
    .catch(withOutput([first, second]));
  await allEventsSeen(w);
  const { output } = completedOnce(w, jobId);
  assert.is(output.contentType, 'application/zip');
  assert.equal(await w.objects.listIncompleteUploads(w.artifactsBucket, outputPrefix(output.key)), [], 'no multipart upload open under the output prefix');

  // The archive, read by Python's zipfile (every entry's CRC-32 checked while streaming it).
  const dir = await mkdtemp(path.join(tmpdir(), 'worker-drain-'));
  try {
    const file = path.join(dir, 'big.zip');
    await pipeline(await w.objects.get(w.artifactsBucket, output.key), createWriteStream(file));
    const { stdout } = await promisify(execFile)(PYTHON, [path.join(REPO, 'test/interop/read-zip.py'), file], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    const read = stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; size: number; sha256: string });
    assert.equal(
      read.map((e) => [e.name, e.size, e.sha256]),
      blocks.map(([key, body]) => [key.slice('big/'.length), body.length, createHash('sha256').update(body).digest('hex')]),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.is(await second.stop(30_000), 0, second.output());
});

test('reporter: SIGTERM mid-report → exit 0 within the grace; the report completes once, no upload left open', async (ctx) => {
  const w = ctx.world;
  if (!w) throw new Error('the world did not start (see the zipper test)');
  const grace = await chartGrace('reporter');
  await w.bus.ensureTopic(Topic.reportCommands);
  const rows = 250_000;
  const csv = ['id,name,amount', ...Array.from({ length: rows }, (_, i) => `${i + 1},customer ${i + 1},${(i * 7) % 1000}.25`)].join('\n') + '\n';
  await w.objects.put(w.sourceBucket, 'rows/big.csv', Readable.from([Buffer.from(csv)]));
  const first = await startWorker(ctx, 'reporter', grace.shutdownGraceSeconds, 'reporter-1');

  const jobId = randomUUID();
  await w.jobs.create({ id: jobId, type: 'report', owner: 'alice', input: {} });
  ctx.jobIds.push(jobId);
  const data: ReportRequested = {
    jobId,
    owner: 'alice',
    format: 'xlsx',
    title: 'Customers',
    columns: [
      { key: 'id', header: 'Id', type: 'number' },
      { key: 'name', header: 'Name' },
      { key: 'amount', header: 'Amount', type: 'number' },
    ],
    source: { bucket: w.sourceBucket, key: 'rows/big.csv', format: 'csv' },
    output: { name: 'customers.xlsx' },
  };
  await w.bus.publish(Topic.reportCommands, createEvent(EventType.reportRequested, data, { source: '/artifact-pipeline/e2e' }) as PipelineEvent);
  await midway(ctx, first, jobId).catch(withOutput([first]));
  assert.is(await drain(first, grace).catch(withOutput([first])), 0, first.output());

  const second = await startWorker(ctx, 'reporter', grace.shutdownGraceSeconds, 'reporter-2');
  await waitFor(() => ofJob(w, jobId, EventType.jobCompleted).length > 0, `report ${jobId} to complete`, { timeoutMs: 120_000, intervalMs: 100 })
    .catch(withOutput([first, second]));
  await allEventsSeen(w);
  const { output } = completedOnce(w, jobId);
  assert.is(output.contentType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(await w.objects.listIncompleteUploads(w.artifactsBucket, outputPrefix(output.key)), [], 'no multipart upload open under the output prefix');

  const chunks: Buffer[] = [];
  for await (const chunk of await w.objects.get(w.artifactsBucket, output.key)) chunks.push(chunk as Buffer);
  const parts = new Map(unzip(Buffer.concat(chunks)).map((e) => [e.name, e.data.toString('utf8')] as const));
  const sheet = parts.get('xl/worksheets/sheet1.xml');
  assert.ok(sheet, 'the first sheet');
  assert.is(sheet!.match(/<row /g)?.length, rows + 1, 'the header and every row');
  const text = sheet! + (parts.get('xl/sharedStrings.xml') ?? '');
  for (const value of ['>Name<', '>customer 1<', `>customer ${rows}<`]) assert.ok(text.includes(value), `the package holds ${value}`);
  assert.match(sheet!, new RegExp(`<v>${rows}</v>`), 'the last id');
  assert.is(await second.stop(30_000), 0, second.output());
});

test('zipper: a grace shorter than the job → the upload is aborted, the message released, the next worker completes it once', async (ctx) => {
  const w = ctx.world;
  if (!w) throw new Error('the world did not start (see the first zipper test)');
  // Runs after the reporter case: by then the long polls of the stopped zippers have ended.
  const chart = await chartGrace('zipper');
  // The same pod, but a drain deadline the job cannot meet: what is in flight is released.
  const grace: ChartGrace = { shutdownGraceSeconds: 1, terminationGracePeriodSeconds: 1 + (chart.terminationGracePeriodSeconds - chart.shutdownGraceSeconds) };
  const first = await startWorker(ctx, 'zipper', grace.shutdownGraceSeconds, 'zipper-3');
  const command = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'big/' }, output: { name: 'again.zip' }, options: { compression: 'deflate' } });
  const jobId = command.subject!;
  ctx.jobIds.push(jobId);
  await midway(ctx, first, jobId).catch(withOutput([first]));
  await waitFor(
    async () => (await w.objects.listIncompleteUploads(w.artifactsBucket, 'outputs/zips/')).some((u) => u.key.includes(jobId)),
    'the job to have a multipart upload open before SIGTERM',
    { timeoutMs: 60_000, intervalMs: 100 },
  ).catch(withOutput([first]));
  assert.is(ofJob(w, jobId, EventType.jobCompleted).length, 0, 'the job is not done when SIGTERM is sent');
  assert.is(await drain(first, grace).catch(withOutput([first])), 0, first.output());
  assert.is(ofJob(w, jobId, EventType.jobCompleted).length, 0, 'the released job did not complete on the drained worker');
  assert.equal((await w.objects.listIncompleteUploads(w.artifactsBucket, 'outputs/zips/')).filter((u) => u.key.includes(jobId)), [], 'the drained worker aborted its upload');

  const second = await startWorker(ctx, 'zipper', chart.shutdownGraceSeconds, 'zipper-4');
  await waitFor(() => ofJob(w, jobId, EventType.jobCompleted).length > 0, `job ${jobId} to complete`, { timeoutMs: 120_000, intervalMs: 100 })
    .catch(withOutput([first, second]));
  await allEventsSeen(w);
  const { output } = completedOnce(w, jobId);
  assert.ok(output.size > 16 * 8 * 1024 * 1024, `the whole archive: ${output.size} bytes`);
  assert.equal(await w.objects.listIncompleteUploads(w.artifactsBucket, outputPrefix(output.key)), [], 'no multipart upload open under the output prefix');
  assert.is(await second.stop(30_000), 0, second.output());
});

test.run();
