/**
 * The lifecycle every job worker shares (zipper, reporter): for each command —
 * refuse it when the store does not hold its job (JOB_UNKNOWN: jobs are made by ingest),
 * skip it when the job is already done or failed for good (redelivery), count the attempt
 * durably in the job store, hold the lease `job:<id>` while building, emit job.started,
 * throttled job.progressed and job.completed or job.failed on `artifacts.events`, and leave
 * retries and dead letters to the bus.
 *
 * Attempts: the larger of the bus's count (SQS ApproximateReceiveCount; Kafka counts only
 * in-process retries) and the job store's count (JobStore.countAttempt, taken before the
 * build, so a delivery that killed its worker counts). A delivery past MAX_ATTEMPTS is not
 * built: the job fails for good with ATTEMPTS_EXHAUSTED (attempts-exhausted.ts).
 *
 * Failures: job.failed carries `final = !retriable || attempt >= maxAttempts` and the error
 * is rethrown — as not retriable when final, so the bus dead-letters it at once — or the bus
 * retries it. A build stopped on purpose — the consumer's shutdown deadline passed, or the
 * lease was lost — is not a job failure: no job.failed, the bus releases (shutdown) or
 * retries (lease lost) the message. Neither is a lease held by a live worker (LEASE_HELD):
 * that worker reports the job.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { ErrorCode, PipelineError, toPipelineError } from '../errors.js';
import { createEvent } from '../events/create-event.js';
import { EventType, type PipelineEvent } from '../events/envelope.js';
import { isEventOfType } from '../events/event-types.js';
import type { EventData } from '../events/payloads.js';
import type { Delivery, Subscription } from '../ports/bus.js';
import { Topic } from '../ports/bus.js';
import type { JobStore } from '../ports/job-store.js';
import { isFinalStatus } from '../job-transition.js';
import { currentTraceparent } from '../telemetry/propagation.js';
import { withJobSpan } from './job-span.js';
import type { JobWorkerOptions } from './job-worker-types.js';
import { failExhaustedJob } from './attempts-exhausted.js';
import { holdLease } from './lease-keeper.js';
import { createProgressReporter } from './progress-reporter.js';

export type { BuildContext, BuildProgress, BuildResult, JobWorkerOptions } from './job-worker-types.js';
export { LEASE_HELD, LEASE_LOST } from './lease-keeper.js';

/** Default lease TTL: 15 s, renewed every 5 s; a crashed worker's job is free again within 15 s. */
export const DEFAULT_LEASE_TTL_MS = 15_000;

/** The lease name for a job: `job:<id>`. */
export const jobLeaseName = (jobId: string): string => `job:${jobId}`;

/** Starts consuming `topic`; stop the returned subscription to stop taking work. */
export function runJobWorker<T extends EventType>(options: JobWorkerOptions<T>): Promise<Subscription> {
  const instance = `${hostname()}:${process.pid}`;
  return options.bus.consume(options.topic, (event, delivery) => handleCommand(options, instance, event, delivery), {
    group: options.group,
    concurrency: options.concurrency ?? 1,
  });
}

async function handleCommand<T extends EventType>(
  options: JobWorkerOptions<T>,
  instance: string,
  event: PipelineEvent,
  delivery: Delivery,
): Promise<void> {
  const { jobs, leases, jobType, bus } = options;
  const clock = Date.now;
  if (!isEventOfType(event, options.commandType)) {
    throw new PipelineError(`expected ${options.commandType} on ${delivery.topic}, got ${event.type}`, {
      code: ErrorCode.INVALID_EVENT,
      retriable: false,
    });
  }
  const jobId = (event.data as { jobId?: unknown }).jobId;
  if (typeof jobId !== 'string') throw new PipelineError('the command has no jobId', { code: ErrorCode.INVALID_EVENT, retriable: false });
  const known = await jobs.get(jobId);
  if (known === undefined) throw unknownJob(jobId);
  if (isFinalStatus(known.status)) {
    options.logger.info({ jobId, messageId: delivery.messageId }, 'job already finished; acknowledged without work');
    return;
  }
  const counted = await jobs.countAttempt(jobId);
  if (counted === undefined) throw unknownJob(jobId);
  const attempt = Math.max(delivery.attempt, counted);
  const maxAttempts = options.maxAttempts ?? delivery.maxAttempts;
  const logger = options.logger.child({ jobId, attempt, messageId: delivery.messageId });

  const leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const lease = await holdLease({
    leases,
    name: jobLeaseName(jobId),
    holder: `${instance}:${randomUUID()}`,
    ttlMs: leaseTtlMs,
    waitMs: options.leaseWaitMs ?? 2 * leaseTtlMs,
    isSettled: () => isSettled(jobs, jobId),
    signal: delivery.signal,
    logger,
  });
  if (lease === 'settled') {
    logger.info('job finished elsewhere while waiting for its lease; acknowledged without work');
    return;
  }

  const trace = { traceparent: event.traceparent ?? currentTraceparent(), tracestate: event.tracestate };
  const emit = <E extends EventType>(type: E, data: EventData<E>): Promise<void> =>
    bus.publish(
      Topic.events,
      createEvent(type, data, {
        source: options.source,
        ...(trace.traceparent === undefined ? {} : { traceparent: trace.traceparent }),
        ...(trace.tracestate === undefined ? {} : { tracestate: trace.tracestate }),
      }),
    );
  if (attempt > maxAttempts) {
    try {
      return await failExhaustedJob({
        jobId,
        attempt,
        maxAttempts,
        lastAttempt: known.attempt,
        ...(known.error === undefined ? {} : { lastError: known.error }),
        emitFailed: (data) => emit(EventType.jobFailed, data),
        abortUploads: () => options.abortUploads?.(event, logger) ?? Promise.resolve(0),
        logger,
      });
    } catch (err) {
      if (toPipelineError(err).code === ErrorCode.ATTEMPTS_EXHAUSTED) options.metrics?.jobsTotal.inc({ type: jobType, outcome: 'failed' });
      throw err;
    } finally {
      await lease.release();
    }
  }
  const owner = (event.data as { owner?: unknown }).owner;
  const startedAt = clock();
  const observe = (outcome: 'completed' | 'failed' | 'retried'): void => {
    options.metrics?.jobsTotal.inc({ type: jobType, outcome });
    options.metrics?.jobDurationSeconds.observe({ type: jobType }, (clock() - startedAt) / 1000);
  };

  try {
    await withJobSpan({ jobId, jobType, attempt, ...(typeof owner === 'string' ? { owner } : {}) }, async () => {
      await emit(EventType.jobStarted, { jobId, type: jobType, attempt });
      const progress = createProgressReporter({
        // `attempt` is an extra field (events.md): progress of a new attempt then never counts as
        // stale beside the higher byte counts of the attempt a crash cut short.
        send: (p) => emit(EventType.jobProgressed, { jobId, attempt, ...p } as EventData<typeof EventType.jobProgressed>),
        ...(options.progressIntervalMs === undefined ? {} : { intervalMs: options.progressIntervalMs }),
        logger,
      });
      const signal = AbortSignal.any([delivery.signal, lease.signal]);
      let result;
      try {
        result = await options.build(event, { signal, attempt, reportProgress: (p) => progress.report(p), logger });
      } catch (err) {
        await progress.close();
        throw err;
      }
      await progress.flush();
      await emit(EventType.jobCompleted, { jobId, attempt, ...result } as EventData<typeof EventType.jobCompleted>);
    });
    observe('completed');
    logger.info({ seconds: (clock() - startedAt) / 1000 }, 'job completed');
  } catch (err) {
    if (lease.signal.aborted) throw lease.signal.reason;
    const error = toPipelineError(err);
    if (delivery.signal.aborted) {
      logger.warn({ err: error }, 'job stopped by shutdown; the message goes back to the queue');
      throw error;
    }
    const final = !error.retriable || attempt >= maxAttempts;
    await emit(EventType.jobFailed, {
      jobId,
      error: { code: error.code, message: error.message.slice(0, 4096), retriable: error.retriable },
      attempt,
      final,
    }).catch((publishError: unknown) => logger.error({ err: publishError }, 'could not publish job.failed'));
    observe(final ? 'failed' : 'retried');
    logger.warn({ err: error, final }, final ? 'job failed' : 'job attempt failed; it will be retried');
    // Final: dead-letter now, even where the bus counts fewer attempts than the store (Kafka).
    if (final && error.retriable) {
      throw new PipelineError(error.message, { code: error.code, retriable: false, cause: error, context: error.context });
    }
    throw error;
  } finally {
    await lease.release();
  }
}

/**
 * Done, or failed for good (the read model says `failed` only for a final failure): a
 * redelivered command has nothing left to do.
 */
async function isSettled(jobs: JobStore, jobId: string): Promise<boolean> {
  const job = await jobs.get(jobId);
  return job !== undefined && isFinalStatus(job.status);
}

/**
 * A command whose job the store does not hold: published by another system straight onto
 * the command topic, or for a job past its retention. Jobs are made through ingest (HTTP,
 * POST /v1/events, the inbound Kafka topic, S3 rules), which records them before publishing.
 */
function unknownJob(jobId: string): PipelineError {
  return new PipelineError(`the job store holds no job ${jobId}; commands must come through ingest, which records the job first`, {
    code: ErrorCode.JOB_UNKNOWN,
    retriable: false,
    context: { jobId },
  });
}
