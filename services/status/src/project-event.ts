/**
 * The projector (DESIGN §5): one `job.*` event → JobChange → JobStore.apply, the bus
 * handler of `artifacts.events`.
 *
 * - Redis down: the apply is retried (retry.ts) with a long budget (default 10 min, waits up
 *   to 5 s), so an outage delays the projection but loses nothing; past the budget the
 *   error stays retriable and the bus redelivers.
 * - Malformed: INVALID_EVENT, not retriable, so the bus dead-letters it with the reason.
 * - A `completed` whose attempt has not been seen starting is handed back (retriable) until
 *   the last delivery, so over SQS's unordered delivery the start is recorded before the job
 *   turns final (nothing applies after that). The last delivery applies it regardless.
 * - Applied changes go to `onApplied` (journal, webhooks) before the ack.
 */
import { trace } from '@opentelemetry/api';
import {
  ErrorCode,
  EventType,
  PipelineError,
  isRetriable,
  retry,
  silentLogger,
  type Delivery,
  type Job,
  type JobStore,
  type Logger,
  type PipelineEvent,
} from '@artifact-pipeline/shared';
import { createBoundedMap } from '@artifact-pipeline/shared/bounded-map';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { TelemetryNames } from '@artifact-pipeline/shared/telemetry/names';
import { eventAttempt, eventJobId, isFinalChange, isJobEvent, malformed, toJobChange } from './event-change.js';
import { createRecentIds } from './recent-ids.js';

export interface ProjectionResult {
  applied: boolean;
  job?: Job;
}

export type AppliedHook = (event: PipelineEvent, job: Job, applied: boolean) => Promise<void> | void;

export interface ProjectorOptions {
  jobs: JobStore;
  metrics?: Metrics;
  logger?: Logger;
  /** Called after each apply that found the job, applied or not (webhooks recover from it). */
  onApplied?: AppliedHook;
  /** How long one apply keeps retrying a Redis outage, in ms. Default 600,000 (10 min). */
  retryBudgetMs?: number;
  /** Longest single wait between those retries, in ms. Default 5,000. */
  retryMaxDelayMs?: number;
}

export type Projector = (event: PipelineEvent, delivery?: Pick<Delivery, 'attempt' | 'maxAttempts' | 'signal'>) => Promise<ProjectionResult>;

const OUTCOME = TelemetryNames.outcomes.eventApplied;
const A = TelemetryNames.attributes;

export function createProjector(options: ProjectorOptions): Projector {
  const { jobs, metrics, logger = silentLogger(), onApplied, retryBudgetMs = 600_000, retryMaxDelayMs = 5_000 } = options;
  const recent = createRecentIds(10_000);
  // The attempt each recently projected job is in, so `progressed` events (most of the
  // traffic; no attempt in their schema) skip a read of the job. Only for those: another
  // replica may have moved the job on, and a progress event misfiled by that costs nothing
  // (the next one or the completion corrects it), while a misfiled completion would be lost.
  const attempts = createBoundedMap<string, number>(10_000);
  const withRedis = <T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    retry(fn, {
      attempts: Number.MAX_SAFE_INTEGER,
      budgetMs: retryBudgetMs,
      maxMs: retryMaxDelayMs,
      shouldRetry: (err) => isRetriable(err),
      onRetry: (err, attempt, delayMs) => logger.warn({ err, attempt, delayMs }, 'read model unavailable; retrying'),
    }, signal);

  return async (event, delivery) => {
    if (!isJobEvent(event)) throw malformed(event, `${event.type} is not a job lifecycle event`);
    const atMs = Date.parse(event.time);
    if (!Number.isFinite(atMs)) throw malformed(event, 'time is not a timestamp');
    const jobId = eventJobId(event);
    const span = trace.getActiveSpan();
    span?.setAttributes({ [A.jobId]: jobId, [A.cloudeventsType]: event.type });

    const cached = event.type === EventType.jobProgressed ? attempts.get(jobId) : undefined;
    const known = eventAttempt(event) ?? cached;
    const current = known === undefined ? await withRedis(() => jobs.get(jobId), delivery?.signal) : undefined;
    const { change } = toJobChange(event, known ?? current?.attempt ?? 0);
    const lastDelivery = delivery === undefined || delivery.attempt >= delivery.maxAttempts;
    if (change.kind === 'completed' && !lastDelivery && current !== undefined && current.startedAt === undefined && current.status === 'queued') {
      throw new PipelineError(`job ${jobId} completed before its start was seen; handing the event back`, {
        code: ErrorCode.UNAVAILABLE,
        retriable: true,
        context: { jobId, eventId: event.id },
      });
    }

    const result = await withRedis(() => jobs.apply(jobId, change), delivery?.signal);
    const duplicate = recent.seen(event.id);
    const outcome = result.applied ? OUTCOME.applied : duplicate ? OUTCOME.duplicate : OUTCOME.stale;
    metrics?.eventsAppliedTotal.inc({ type: change.kind, outcome });
    if (result.applied) metrics?.projectionLagSeconds.observe(Math.max(0, (Date.now() - atMs) / 1000));
    if (result.job === undefined) {
      logger.warn({ jobId, eventId: event.id, type: event.type }, 'event for a job the read model does not hold; skipped');
      return { applied: false };
    }
    if (result.job.attempt >= 1) attempts.set(jobId, result.job.attempt);
    span?.setAttributes({ [A.jobStatus]: result.job.status, [A.jobAttempt]: result.job.attempt });
    if (result.applied || isFinalChange(change)) await onApplied?.(event, result.job, result.applied);
    return result;
  };
}
