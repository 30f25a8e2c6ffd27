/**
 * A job worker as a service (the zipper, the reporter): consume one command topic with the
 * shared lifecycle (run-job-worker.ts), stop within a deadline, answer readiness. Each
 * service gives its topic, command type, job type and `build`; everything else is here.
 */
import type { Config } from '../config/index.js';
import type { EventType } from '../events/envelope.js';
import type { Logger } from '../logger.js';
import { Topic, type Bus, type Subscription } from '../ports/bus.js';
import type { JobStore, JobType } from '../ports/job-store.js';
import type { Leases } from '../ports/lease.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { Metrics } from '../telemetry/metrics.js';
import { serviceSource } from '../events/create-event.js';
import { runJobWorker, type JobWorkerOptions } from './run-job-worker.js';

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
}

export interface WorkerService {
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
  return {
    async start() {
      if (subscription) return;
      await bus.ensureTopic(worker.topic);
      await bus.ensureTopic(Topic.events);
      subscription = await runJobWorker({
        bus,
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
        build: worker.build,
      });
      logger.info({ topic: worker.topic, concurrency: config.worker.concurrency }, `${worker.service} consuming`);
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
