/**
 * The zipper (DESIGN §2, issue #3): consumes `zip.requested` from `artifacts.commands.zip`
 * and builds each job with the shared job-worker lifecycle. Built from its dependencies
 * only, so tests run it in process against any adapters; main.ts wires the real ones.
 */
import {
  EventType,
  Topic,
  serviceSource,
  type Bus,
  type Config,
  type JobStore,
  type Leases,
  type Logger,
  type ObjectStore,
  type Subscription,
} from '@artifact-pipeline/shared';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { runJobWorker } from '@artifact-pipeline/shared/worker/run-job-worker';
import { createZipBuild } from './zip-job.js';

export const SERVICE = 'zipper';

export interface ZipperServiceDeps {
  config: Pick<Config, 's3' | 'worker' | 'shutdown'>;
  bus: Bus;
  objects: ObjectStore;
  jobs: JobStore;
  leases: Leases;
  logger: Logger;
  metrics?: Metrics;
  /** Job lease TTL in ms; default 15,000 (run-job-worker.ts). */
  leaseTtlMs?: number;
  /** Prefetch bounds; defaults 64 MiB and 8 objects ahead (prefetcher.ts). */
  prefetch?: { maxBytesAhead?: number; maxObjectsAhead?: number };
  /** Consumer group (Kafka); default 'zipper'. */
  group?: string;
}

export interface ZipperService {
  /** Starts consuming commands (creating the topics if missing). */
  start(): Promise<void>;
  /**
   * Stops taking commands; jobs in flight get `deadlineMs` (default SHUTDOWN_GRACE_SECONDS)
   * to finish, then are aborted — their uploads aborted — and their messages released.
   */
  stop(deadlineMs?: number): Promise<void>;
  /** Resolves when the bus, the object store and the job store answer (for /readyz). */
  ready(): Promise<void>;
}

export function createZipperService(deps: ZipperServiceDeps): ZipperService {
  const { config, bus, objects, jobs, leases, logger, metrics } = deps;
  let subscription: Subscription | undefined;
  const build = createZipBuild({
    objects,
    artifactsBucket: config.s3.artifactsBucket,
    downloadUrlTtlSeconds: config.s3.downloadUrlTtlSeconds,
    ...(deps.prefetch ? { prefetch: deps.prefetch } : {}),
    onArchive: (archive) => {
      metrics?.zipBytesInTotal.inc(archive.bytesIn);
      metrics?.zipBytesOutTotal.inc(archive.size);
      metrics?.zipEntriesTotal.inc(archive.entries);
    },
  });

  return {
    async start() {
      if (subscription) return;
      await bus.ensureTopic(Topic.zipCommands);
      await bus.ensureTopic(Topic.events);
      subscription = await runJobWorker({
        bus,
        jobs,
        leases,
        topic: Topic.zipCommands,
        commandType: EventType.zipRequested,
        group: deps.group ?? SERVICE,
        jobType: 'zip',
        maxAttempts: config.worker.maxAttempts,
        concurrency: config.worker.concurrency,
        ...(deps.leaseTtlMs === undefined ? {} : { leaseTtlMs: deps.leaseTtlMs }),
        logger,
        ...(metrics ? { metrics } : {}),
        source: serviceSource(SERVICE),
        build,
      });
      logger.info({ topic: Topic.zipCommands, concurrency: config.worker.concurrency }, 'zipper consuming');
    },
    async stop(deadlineMs = config.shutdown.graceSeconds * 1000) {
      const current = subscription;
      subscription = undefined;
      await current?.stop(deadlineMs);
    },
    async ready() {
      await Promise.all([bus.ping(), objects.ping(), jobs.ping()]);
    },
  };
}
