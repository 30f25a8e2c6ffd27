/**
 * The reporter (DESIGN §2, issue #4): consumes `report.requested` from
 * `artifacts.commands.report` and renders each job with the shared job-worker lifecycle
 * (lease, job.started, throttled job.progressed, job.completed or job.failed). Built from its
 * dependencies only, so tests run it in process against any adapters; main.ts wires the
 * real ones.
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
import { createReportBuild } from './report-job.js';

export const SERVICE = 'reporter';

export interface ReporterServiceDeps {
  config: Pick<Config, 's3' | 'worker' | 'shutdown'>;
  bus: Bus;
  objects: ObjectStore;
  jobs: JobStore;
  leases: Leases;
  logger: Logger;
  metrics?: Metrics;
  /** Job lease TTL in ms; default 15,000 (run-job-worker.ts). */
  leaseTtlMs?: number;
  /** XLSX data rows per sheet before a new sheet (tests lower it). */
  maxRowsPerSheet?: number;
  /** Consumer group (Kafka); default 'reporter'. */
  group?: string;
}

export interface ReporterService {
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

export function createReporterService(deps: ReporterServiceDeps): ReporterService {
  const { config, bus, objects, jobs, leases, logger, metrics } = deps;
  let subscription: Subscription | undefined;
  const build = createReportBuild({
    objects,
    artifactsBucket: config.s3.artifactsBucket,
    downloadUrlTtlSeconds: config.s3.downloadUrlTtlSeconds,
    ...(deps.maxRowsPerSheet === undefined ? {} : { maxRowsPerSheet: deps.maxRowsPerSheet }),
    onReport: (report) => metrics?.reportRowsTotal.inc({ format: report.format }, report.rows),
  });

  return {
    async start() {
      if (subscription) return;
      await bus.ensureTopic(Topic.reportCommands);
      await bus.ensureTopic(Topic.events);
      subscription = await runJobWorker({
        bus,
        jobs,
        leases,
        topic: Topic.reportCommands,
        commandType: EventType.reportRequested,
        group: deps.group ?? SERVICE,
        jobType: 'report',
        maxAttempts: config.worker.maxAttempts,
        concurrency: config.worker.concurrency,
        ...(deps.leaseTtlMs === undefined ? {} : { leaseTtlMs: deps.leaseTtlMs }),
        logger,
        ...(metrics ? { metrics } : {}),
        source: serviceSource(SERVICE),
        build,
      });
      logger.info({ topic: Topic.reportCommands, concurrency: config.worker.concurrency }, 'reporter consuming');
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
