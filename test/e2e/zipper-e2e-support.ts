/**
 * The zipper end to end, in process (fast): real moto S3, a real bus (SQS or Kafka) and real
 * Redis for jobs and leases. Each run owns its queues/topics (a unique prefix), buckets and
 * Redis key prefix. A small projector applies the lifecycle events to the job store, as the
 * status service would, so redelivery of a finished job can be tested.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  EventType, Topic, createEvent, silentLogger,
  type Bus, type JobChange, type JobError, type JobOutput, type JobStore, type PipelineEvent, type Subscription, type ZipRequested,
} from '@artifact-pipeline/shared';
import { createKafkaBus } from '@artifact-pipeline/shared/adapters/kafka-bus';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { createRedisLeases, type RedisLeases } from '@artifact-pipeline/shared/adapters/redis-leases';
import { createS3ObjectStore, type S3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { createSqsBus } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { createZipperService, type ZipperService } from '../../services/zipper/src/zipper-service.js';
import { awsTestConfig, servers, uniqueName, waitFor } from '../harness/support.js';
import type { ExpectedEntry } from '../interop/zip-fixtures.js';
import { problemsWithEveryReader } from '../interop/zip-reader-checks.js';

export type Transport = 'sqs' | 'kafka';

export interface ZipperWorld {
  transport: Transport;
  bus: Bus;
  objects: S3ObjectStore;
  jobs: JobStore;
  leases: RedisLeases;
  zipper: ZipperService;
  sourceBucket: string;
  artifactsBucket: string;
  /** Every lifecycle event seen, in arrival order. */
  events: PipelineEvent[];
  observer: Subscription;
  /** Queue / topic prefix, for a child process configured by environment. */
  busPrefix: string;
}

/** `partitions`: of the Kafka topics this bus creates (default 3). */
export function createBus(transport: Transport, busPrefix: string, { partitions }: { partitions?: number } = {}): Bus {
  const { kafkaBrokers, awsEndpointUrl } = servers();
  if (transport === 'sqs') {
    return createSqsBus({ ...awsTestConfig(awsEndpointUrl), queueNamePrefix: busPrefix, maxAttempts: 5, waitTimeSeconds: 1, backoff: { baseMs: 50, maxMs: 500 } });
  }
  return createKafkaBus({
    brokers: kafkaBrokers, clientId: busPrefix, topicPrefix: busPrefix, groupPrefix: busPrefix, maxAttempts: 5,
    backoff: { baseMs: 50, maxMs: 500 }, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000, fetchMaxWaitMs: 200, stopDeadlineMs: 10_000,
    ...(partitions === undefined ? {} : { partitions }),
  });
}

/**
 * `jobKeyPrefix: ''` puts the jobs where a worker process configured by its environment
 * reads them (the configuration has no Redis key prefix); such a test deletes its jobs'
 * keys itself (forgetJobs). Default: a prefix of the run's own.
 */
export async function createWorld(
  transport: Transport,
  { startZipper = true, jobKeyPrefix, partitions }: { startZipper?: boolean; jobKeyPrefix?: string; partitions?: number } = {},
): Promise<ZipperWorld> {
  const { redisUrl, awsEndpointUrl } = servers();
  const busPrefix = `${uniqueName('zip')}-`;
  const bus = createBus(transport, busPrefix, partitions === undefined ? {} : { partitions });
  const objects = createS3ObjectStore(awsTestConfig(awsEndpointUrl));
  const keyPrefix = jobKeyPrefix ?? `${busPrefix}:`;
  const jobs = createRedisJobStore({ url: redisUrl, keyPrefix });
  const leases = createRedisLeases({ url: redisUrl });
  const sourceBucket = uniqueName('src');
  const artifactsBucket = uniqueName('art');
  await Promise.all([objects.ensureBucket(sourceBucket), objects.ensureBucket(artifactsBucket)]);
  const zipper = createZipperService({
    config: {
      s3: { artifactsBucket, uploadsBucket: artifactsBucket, downloadUrlTtlSeconds: 3600, forcePathStyle: true, allowedSourceBuckets: [sourceBucket], notificationsQueue: undefined },
      // Every owner may read the whole source bucket here; test/e2e/source-access tests the policy.
      sources: { grants: [{ bucket: sourceBucket, prefix: '' }] },
      worker: { maxAttempts: 5, concurrency: 2 },
      shutdown: { graceSeconds: 10 },
    },
    bus, objects, jobs, leases, logger: silentLogger(), leaseTtlMs: 3_000,
  });
  const events: PipelineEvent[] = [];
  await bus.ensureTopic(Topic.events);
  await bus.ensureTopic(Topic.zipCommands);
  const observer = await bus.consume(Topic.events, async (event) => {
    events.push(event);
    await project(jobs, event);
  }, { group: 'observer', concurrency: 1 });
  if (startZipper) await zipper.start();
  return { transport, bus, objects, jobs, leases, zipper, sourceBucket, artifactsBucket, events, observer, busPrefix };
}

/** What the status projector does with each lifecycle event, in short. */
const startedAttempt = new Map<string, number>();
export async function project(jobs: JobStore, event: PipelineEvent): Promise<void> {
  const at = event.time;
  const d = event.data as { attempt: number; output: JobOutput; downloadUrl: string; expiresAt: string; error: JobError; final: boolean };
  if (event.type === EventType.jobStarted && event.subject) startedAttempt.set(event.subject, d.attempt);
  const attempt = startedAttempt.get(event.subject ?? '') ?? 1;
  const change: JobChange | undefined =
    event.type === EventType.jobStarted ? { kind: 'started', attempt: d.attempt, at }
    : event.type === EventType.jobCompleted ? { kind: 'completed', attempt, at, output: d.output, downloadUrl: d.downloadUrl, expiresAt: d.expiresAt }
    : event.type === EventType.jobFailed ? { kind: 'failed', attempt: d.attempt, at, error: d.error, final: d.final }
    : undefined;
  if (change && event.subject) await jobs.apply(event.subject, change);
}

export async function closeWorld(world: ZipperWorld | undefined): Promise<void> {
  if (!world) return;
  await world.zipper.stop(5_000);
  await world.observer.stop(0);
  await world.bus.close();
  await Promise.allSettled([world.objects.removeBucket(world.sourceBucket), world.objects.removeBucket(world.artifactsBucket)]);
  await world.objects.close();
  await world.jobs.close();
  await world.leases.close();
}

/** Puts `files` (key → bytes) into the source bucket, at most `parallel` at once. */
export async function putFiles(world: ZipperWorld, files: Iterable<[string, Buffer]>, parallel = 16): Promise<void> {
  const iterator = files[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const [key, body] = next.value;
      await world.objects.put(world.sourceBucket, key, Readable.from([body]));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** Records the job as ingest would (queued) and publishes its command. */
export async function requestZip(world: ZipperWorld, data: Omit<ZipRequested, 'jobId' | 'owner'>, jobId = randomUUID()): Promise<PipelineEvent> {
  await world.jobs.create({ id: jobId, type: 'zip', owner: 'alice', input: {} });
  const command = createEvent(EventType.zipRequested, { jobId, owner: 'alice', ...data }, { source: '/artifact-pipeline/e2e' });
  await world.bus.publish(Topic.zipCommands, command);
  return command;
}

export const ofJob = (world: ZipperWorld, jobId: string, type: string): PipelineEvent[] =>
  world.events.filter((e) => e.subject === jobId && e.type === type);

/** The job's job.completed (or a clear error with its job.failed), within `timeoutMs`. */
export async function completion(world: ZipperWorld, jobId: string, timeoutMs = 60_000) {
  const event = await waitFor(
    () => ofJob(world, jobId, EventType.jobCompleted)[0] ?? world.events.find((e) => e.subject === jobId && e.type === EventType.jobFailed && (e.data as { final: boolean }).final),
    `job ${jobId} to finish`,
    { timeoutMs, intervalMs: 100 },
  );
  if (event.type !== EventType.jobCompleted) throw new Error(`job failed: ${JSON.stringify(event.data)}`);
  return event.data as {
    output: { bucket: string; key: string; size: number };
    downloadUrl: string;
    manifest: { included: number; skipped: { key: string; reason: string }[]; skippedTotal: number; renamed: { key: string; name: string }[] };
  };
}

export function expected(name: string, body: Buffer): ExpectedEntry {
  return { name, directory: false, size: body.length, sha256: createHash('sha256').update(body).digest('hex') };
}
export const folder = (name: string): ExpectedEntry => ({ name, directory: true, size: 0, sha256: createHash('sha256').digest('hex') });

/** Streams the archive to a temp file and runs every reader on it; [] when all read it exactly. */
export async function readerProblems(world: ZipperWorld, key: string, entries: ExpectedEntry[], timeoutMs = 120_000): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'zipper-e2e-'));
  try {
    const file = path.join(dir, 'out.zip');
    await pipeline(await world.objects.get(world.artifactsBucket, key), createWriteStream(file));
    return await problemsWithEveryReader({ file, entries, summary: { entries: entries.length, bytesWritten: 0, zip64: false } }, timeoutMs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** S3's key order: by the UTF-8 bytes of the key. */
export const byKeyBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
