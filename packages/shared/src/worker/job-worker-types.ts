/**
 * What the job-worker runner (run-job-worker.ts) asks of a service: the command it
 * consumes and a `build` function; everything around a job's lifecycle is the runner's.
 */
import type { JobCompleted, JobProgressed } from '../events/payloads.js';
import type { EventType } from '../events/envelope.js';
import type { TypedEvent } from '../events/event-types.js';
import type { Logger } from '../logger.js';
import type { Bus } from '../ports/bus.js';
import type { JobStore, JobType } from '../ports/job-store.js';
import type { Leases } from '../ports/lease.js';
import type { Metrics } from '../telemetry/metrics.js';

/** Progress as a build reports it; the runner adds the job id. */
export type BuildProgress = Omit<JobProgressed, 'jobId'>;

/** What a finished build hands back; the runner adds the job id and emits job.completed. */
export type BuildResult = Omit<JobCompleted, 'jobId'>;

export interface BuildContext {
  /**
   * Fires when the build must stop: the consumer is shutting down past its deadline, or
   * the job's lease was lost (another worker may now own the job). Stop, clean up, throw.
   */
  signal: AbortSignal;
  /**
   * The attempt, 1 on first delivery: the larger of the bus's count (SQS
   * ApproximateReceiveCount, Kafka's in-process retries) and the job store's durable count.
   */
  attempt: number;
  /** Cheap to call often: throttled to one job.progressed a second, plus the last one. */
  reportProgress(progress: BuildProgress): void;
  logger: Logger;
}

export interface JobWorkerOptions<T extends EventType> {
  bus: Bus;
  /** Read only: a job already done (or failed for good) is acknowledged without work. */
  jobs: JobStore;
  leases: Leases;
  /** The command topic, e.g. Topic.zipCommands. */
  topic: string;
  /** The event type of the commands on `topic`; anything else is dead-lettered. */
  commandType: T;
  /** Consumer group (Kafka), one per service, e.g. 'zipper'. */
  group: string;
  jobType: JobType;
  /** MAX_ATTEMPTS: the attempt at which a failure is final. Default: what the bus says. */
  maxAttempts?: number;
  /** Jobs built at once by this process (WORKER_CONCURRENCY). Default 1. */
  concurrency?: number;
  /** Lease time to live in ms, renewed every third of it. Default 15,000 (LEASE_TTL_MS). */
  leaseTtlMs?: number;
  /**
   * How long to wait for a lease another worker holds before giving the message back, in ms.
   * Default 2 × leaseTtlMs: long enough for a crashed holder's lease to lapse.
   */
  leaseWaitMs?: number;
  /** Least time between two job.progressed events, in ms. Default 1,000. */
  progressIntervalMs?: number;
  logger: Logger;
  /** Optional: jobs by outcome and the job duration histogram. */
  metrics?: Pick<Metrics, 'jobsTotal' | 'jobDurationSeconds'>;
  /** CloudEvents `source` of the lifecycle events: serviceSource('<service>'). */
  source: string;
  build(command: TypedEvent<T>, context: BuildContext): Promise<BuildResult>;
  /**
   * Aborts the job's unfinished multipart uploads (stale-uploads.ts); called when the runner
   * fails a job for good without building it (attempts exhausted), while it holds the lease.
   * Resolves to how many there were. Default: none to abort.
   */
  abortUploads?(command: TypedEvent<T>, logger: Logger): Promise<number>;
}
