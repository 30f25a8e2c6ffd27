/**
 * A job worker as a service (the zipper, the reporter): consume one command topic with the
 * shared lifecycle (run-job-worker.ts), stop within a deadline, answer readiness. Each
 * service gives its topic, command type, job type and `build`; everything else is here.
 */
import type { Config } from '../config/index.js';
import { EventType } from '../events/envelope.js';
import type { Logger } from '../logger.js';
import { Topic, type Bus, type Subscription } from '../ports/bus.js';
import type { JobStore, JobType } from '../ports/job-store.js';
import type { Leases } from '../ports/lease.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { Metrics } from '../telemetry/metrics.js';
import { createEvent, serviceSource } from '../events/create-event.js';
import { DEFAULT_SWEEP_AFTER_MS, startLeaseSweeper, type LeaseSweeper } from './lease-sweeper.js';
import { jobOutputPrefix } from './output-key.js';
import { jobLeaseName, runJobWorker, type JobWorkerOptions } from './run-job-worker.js';
import { abortStaleUploads } from './stale-uploads.js';
import { resolveStoredRequest, storedRequestCleanup } from '../claim-check.js';

export interface WorkerServiceDeps {
  config: Pick<Config, 's3' | 'worker' | 'shutdown'>;
  bus: Bus;
  objects: ObjectStore;
  jobs: JobStore;
  leases: Leases;
  logger: Logger;
  metrics?: Metrics;
  /** Job lease TTL in ms; default 15,000 (run-job-worker.ts). */
  leaseTtlMs?: number;
  /** Consumer group (Kafka); default the service name. */
  group?: string;
  /**
   * The redelivery window of the lease sweeper (lease-sweeper.ts), in ms: a `processing` job
   * unchanged this long with no live lease is given up on. Default 120,000; 0 turns it off.
   */
  leaseSweepAfterMs?: number;
}

export interface WorkerService {
  /** Starts consuming commands; NOT_FOUND when a topic was not provisioned. */
  start(): Promise<void>;
  /**
   * Stops taking commands; jobs in flight get `deadlineMs` (default SHUTDOWN_GRACE_SECONDS)
   * to finish, then are aborted — their uploads aborted — and their messages released.
   */
  stop(deadlineMs?: number): Promise<void>;
  /** Resolves when the bus, the object store and the job store answer (for /readyz). */
  ready(): Promise<void>;
}

export interface WorkerDefinition<T extends EventType> {
  service: string;
  topic: string;
  commandType: T;
  jobType: JobType;
  build: JobWorkerOptions<T>['build'];
}

export function createWorkerService<T extends EventType>(deps: WorkerServiceDeps, worker: WorkerDefinition<T>): WorkerService {
  const { config, bus, objects, jobs, leases, logger, metrics } = deps;
  let subscription: Subscription | undefined;
  let sweeper: LeaseSweeper | undefined;
  const sweepAfterMs = deps.leaseSweepAfterMs ?? DEFAULT_SWEEP_AFTER_MS;
  // Commands sent with their request stored in S3 (claim-check.ts): read it back before the
  // build; delete it once the job's final event is out.
  const requests = storedRequestCleanup(bus, objects, config.s3.artifactsBucket, logger);
  const build: JobWorkerOptions<T>['build'] = async (command, context) => {
    requests.track(command);
    const full = await resolveStoredRequest(command, { objects, artifactsBucket: config.s3.artifactsBucket, signal: context.signal });
    return worker.build(full, context);
  };
  return {
    async start() {
      if (subscription) return;
      // Resolved, never created: `artifacts provision` (or Terraform) owns the queues.
      await bus.resolveTopic(worker.topic);
      await bus.resolveTopic(Topic.events);
      subscription = await runJobWorker({
        bus: requests.bus,
        jobs,
        leases,
        topic: worker.topic,
        commandType: worker.commandType,
        group: deps.group ?? worker.service,
        jobType: worker.jobType,
        maxAttempts: config.worker.maxAttempts,
        concurrency: config.worker.concurrency,
        ...(deps.leaseTtlMs === undefined ? {} : { leaseTtlMs: deps.leaseTtlMs }),
        logger,
        ...(metrics ? { metrics } : {}),
        source: serviceSource(worker.service),
        build,
        // Everything a job writes lives under its output prefix (output-key.ts).
        abortUploads: (command, log) => {
          const jobId = (command.data as { jobId: string }).jobId;
          const prefix = jobOutputPrefix(worker.jobType === 'zip' ? 'zips' : 'reports', new Date(command.time), jobId);
          return abortStaleUploads(objects, config.s3.artifactsBucket, prefix, log);
        },
      });
      if (sweepAfterMs > 0) {
        sweeper = startLeaseSweeper({
          jobs,
          leases,
          jobType: worker.jobType,
          leaseName: jobLeaseName,
          afterMs: sweepAfterMs,
          maxAttempts: config.worker.maxAttempts,
          emitFailed: (data) => requests.bus.publish(Topic.events, createEvent(EventType.jobFailed, data, { source: serviceSource(worker.service) })),
          logger: logger.child({ component: 'lease-sweeper' }),
        });
      }
      logger.info({ topic: worker.topic, concurrency: config.worker.concurrency }, `${worker.service} consuming`);
    },
    async stop(deadlineMs = config.shutdown.graceSeconds * 1000) {
      const current = subscription;
      subscription = undefined;
      const sweeping = sweeper;
      sweeper = undefined;
      await sweeping?.stop();
      await current?.stop(deadlineMs);
    },
    async ready() {
      await Promise.all([bus.ping(), objects.ping(), jobs.ping()]);
    },
  };
}
