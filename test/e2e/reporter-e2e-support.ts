/**
 * The reporter end to end, in process: real moto S3, a real bus (SQS or Kafka, built by the
 * zipper's createBus) and real Redis for jobs and leases. Each world owns its queues/topics
 * (a unique prefix), buckets and Redis key prefix. A small projector applies the lifecycle
 * events on artifacts.events to the job store, as the status service would, so a redelivered
 * command for a finished job finds it done. The in-process reporter logs into `logs`, so a
 * test can see what it says about a job (pages written, a command acknowledged without work).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pino } from 'pino';
import {
  EventType, Topic, createEvent,
  type Bus, type JobStore, type Logger, type PipelineEvent, type ReportRequested, type Subscription,
} from '@artifact-pipeline/shared';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { createRedisLeases, type RedisLeases } from '@artifact-pipeline/shared/adapters/redis-leases';
import { createS3ObjectStore, type S3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { jobOutputPrefix } from '@artifact-pipeline/shared/worker/output-key';
import { createReporterService, type ReporterService } from '../../services/reporter/src/reporter-service.js';
import { awsTestConfig, servers, uniqueName, waitFor, withDeadline } from '../harness/support.js';
import { runTool } from '../interop/zip-tools.js';
import { type Transport, createBus, project } from './zipper-e2e-support.js';

export type { Transport };

/** One line the in-process reporter logged (pino's JSON: msg, level, jobId, …). */
export interface LogRecord {
  msg: string;
  jobId?: string;
  [field: string]: unknown;
}

export interface ReporterWorld {
  transport: Transport;
  bus: Bus;
  objects: S3ObjectStore;
  jobs: JobStore;
  leases: RedisLeases;
  reporter: ReporterService;
  sourceBucket: string;
  artifactsBucket: string;
  /** The owner of every job this world requests (unique, so no other test lists them). */
  owner: string;
  /** Every lifecycle event seen, in arrival order. */
  events: PipelineEvent[];
  observer: Subscription;
  /** What the in-process reporter logged, in order. */
  logs: LogRecord[];
  /** Queue / topic prefix, for a child process configured by environment. */
  busPrefix: string;
}

/** A pino logger (info and up) whose lines land parsed in `into`. */
function capturingLogger(into: LogRecord[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') into.push(JSON.parse(line) as LogRecord);
      }
      done();
    },
  });
  return pino({ level: 'info', base: { service: 'reporter' } }, sink);
}

/** `jobKeyPrefix: ''`: as in zipper-e2e-support.ts, for a reporter process configured by its environment. */
export async function createWorld(transport: Transport, { startReporter = true, jobKeyPrefix }: { startReporter?: boolean; jobKeyPrefix?: string } = {}): Promise<ReporterWorld> {
  const { redisUrl, awsEndpointUrl } = servers();
  const busPrefix = `${uniqueName('rep')}-`;
  const bus = createBus(transport, busPrefix);
  const objects = createS3ObjectStore(awsTestConfig(awsEndpointUrl));
  const jobs = createRedisJobStore({ url: redisUrl, keyPrefix: jobKeyPrefix ?? `${busPrefix}:` });
  const leases = createRedisLeases({ url: redisUrl });
  const sourceBucket = uniqueName('src');
  const artifactsBucket = uniqueName('art');
  await Promise.all([objects.ensureBucket(sourceBucket), objects.ensureBucket(artifactsBucket)]);
  const logs: LogRecord[] = [];
  const reporter = createReporterService({
    config: {
      s3: { artifactsBucket, uploadsBucket: artifactsBucket, downloadUrlTtlSeconds: 3600, forcePathStyle: true, allowedSourceBuckets: [sourceBucket], notificationsQueue: undefined },
      // Every owner may read the whole source bucket here; test/e2e/source-access tests the policy.
      sources: { grants: [{ bucket: sourceBucket, prefix: '' }] },
      // One job at a time: a command published after another is handled after it.
      worker: { maxAttempts: 5, concurrency: 1 },
      shutdown: { graceSeconds: 10 },
    },
    bus, objects, jobs, leases, logger: capturingLogger(logs), leaseTtlMs: 3_000,
  });
  const events: PipelineEvent[] = [];
  await bus.ensureTopic(Topic.events);
  await bus.ensureTopic(Topic.reportCommands);
  const observer = await bus.consume(Topic.events, async (event) => {
    events.push(event);
    await project(jobs, event);
  }, { group: 'observer', concurrency: 1 });
  if (startReporter) await reporter.start();
  return {
    transport, bus, objects, jobs, leases, reporter, sourceBucket, artifactsBucket, owner: uniqueName('owner'),
    events, observer, logs, busPrefix,
  };
}

export async function closeWorld(world: ReporterWorld | undefined): Promise<void> {
  if (!world) return;
  await world.reporter.stop(5_000);
  await world.observer.stop(0);
  await world.bus.close();
  await Promise.allSettled([world.objects.removeBucket(world.sourceBucket), world.objects.removeBucket(world.artifactsBucket)]);
  await world.objects.close();
  await world.jobs.close();
  await world.leases.close();
}

/** Streams `chunks` into s3://sourceBucket/key (multipart when large). */
export async function putSource(world: ReporterWorld, key: string, chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>): Promise<void> {
  const body = Readable.from((async function* () {
    for await (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  })());
  await world.objects.put(world.sourceBucket, key, body);
}

export type ReportData = Omit<ReportRequested, 'jobId' | 'owner'>;

/** Records the job as ingest would (queued) and publishes its command. */
export async function requestReport(world: ReporterWorld, data: ReportData, jobId = randomUUID()): Promise<PipelineEvent> {
  await world.jobs.create({ id: jobId, type: 'report', owner: world.owner, input: {} });
  const command = createEvent(EventType.reportRequested, { jobId, owner: world.owner, ...data }, { source: '/artifact-pipeline/e2e' });
  await world.bus.publish(Topic.reportCommands, command);
  return command;
}

/** `reports/{yyyy}/{mm}/{dd}/{jobId}/`: where everything the job writes goes. */
export const outputPrefixOf = (command: PipelineEvent): string => jobOutputPrefix('reports', new Date(command.time), command.subject!);

export const ofJob = (world: ReporterWorld, jobId: string, type: string): PipelineEvent[] =>
  world.events.filter((e) => e.subject === jobId && e.type === type);

export interface Completed {
  output: { bucket: string; key: string; size: number; contentType: string };
  downloadUrl: string;
  expiresAt: string;
  manifest: { included: number; skipped: { key: string; reason: string }[]; skippedTotal: number };
}

export interface Failed {
  error: { code: string; message: string; retriable: boolean };
  attempt: number;
  final: boolean;
}

/** The job's job.completed or final job.failed, whichever comes, within `timeoutMs`. */
export function outcome(world: ReporterWorld, jobId: string, timeoutMs = 60_000): Promise<PipelineEvent> {
  return waitFor(
    () => world.events.find((e) => e.subject === jobId && (e.type === EventType.jobCompleted || (e.type === EventType.jobFailed && (e.data as Failed).final))),
    `job ${jobId} to finish`,
    { timeoutMs, intervalMs: 100 },
  );
}

/** The job's job.completed (or a clear error with its job.failed), within `timeoutMs`. */
export async function completion(world: ReporterWorld, jobId: string, timeoutMs = 60_000): Promise<Completed> {
  const event = await outcome(world, jobId, timeoutMs);
  if (event.type !== EventType.jobCompleted) throw new Error(`job failed: ${JSON.stringify(event.data)}`);
  return event.data as Completed;
}

/** The job's final job.failed (or a clear error if it completed), within `timeoutMs`. */
export async function failure(world: ReporterWorld, jobId: string, timeoutMs = 60_000): Promise<Failed> {
  const event = await outcome(world, jobId, timeoutMs);
  if (event.type !== EventType.jobFailed) throw new Error(`job completed, expected it to fail: ${JSON.stringify(event.data)}`);
  return event.data as Failed;
}

/** Until the read model (the projector's work) says `status`. */
export async function waitForStatus(world: ReporterWorld, jobId: string, status: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(async () => (await world.jobs.get(jobId))?.status === status, `job ${jobId} to be ${status} in the read model`, { timeoutMs });
}

/** Every key under `prefix` in the artifacts bucket. */
export async function artifactKeys(world: ReporterWorld, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of world.objects.list(world.artifactsBucket, prefix)) keys.push(o.key);
  return keys;
}

/** A temporary folder for `use`, removed afterwards. */
export async function withScratch<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'reporter-e2e-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Downloads `url` (a presigned GET, as a user would) into `file`; returns the response headers. */
export async function download(url: string, file: string, timeoutMs = 60_000): Promise<Headers> {
  const response = await withDeadline(fetch(url), timeoutMs, `GET ${url.split('?')[0]}`);
  if (response.status !== 200 || !response.body) throw new Error(`GET ${url.split('?')[0]}: ${response.status} ${await response.text()}`);
  await withDeadline(pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(file)), timeoutMs, 'the download');
  return response.headers;
}

/** Streams s3://artifactsBucket/key into `file`. */
export async function fetchArtifact(world: ReporterWorld, key: string, file: string): Promise<void> {
  await pipeline(await world.objects.get(world.artifactsBucket, key), createWriteStream(file));
}

// ---- readers other people use ----

export { PYTHON, openpyxlFull, openpyxlScan, type FullSheet, type PyCell, type ScannedSheet } from '../interop/xlsx-tools.js';

/** poppler's pdftotext (UTF-8, reading order) and pdfinfo. */
export async function pdfText(file: string): Promise<string> {
  const r = await runTool('pdftotext', ['-enc', 'UTF-8', file, '-'], { timeoutMs: 60_000 }).catch(notInstalled('pdftotext'));
  if (r.code !== 0) throw new Error(`pdftotext failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export async function pdfInfo(file: string): Promise<Record<string, string>> {
  const r = await runTool('pdfinfo', ['-enc', 'UTF-8', file], { timeoutMs: 60_000 }).catch(notInstalled('pdfinfo'));
  if (r.code !== 0) throw new Error(`pdfinfo failed (${r.code}): ${r.stderr}`);
  const info: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) info[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return info;
}

const notInstalled = (tool: string) => (err: Error): never => {
  throw /not installed/.test(err.message) ? new Error(`'${tool}' is not installed: apt-get install -y poppler-utils`) : err;
};
