/**
 * The one way a job comes into being ("Order of operations"), shared by the HTTP
 * routes, S3 notifications and inbound events:
 *
 * 1. build and validate the command event (a bad command never leaves a record behind);
 * 2. record the `queued` job, claiming the idempotency key in the same atomic step
 *    (JobStore.create with a claim);
 * 3. publish the command, retrying transient failures;
 * 4. if the publish still fails, apply a final `failed` change with PUBLISH_FAILED and throw
 *    PUBLISH_FAILED (context.jobId names the job).
 *
 * A command too large for the bus (BUS_MAX_MESSAGE_BYTES less 16 KiB) is sent with its
 * request stored at `requests/{jobId}.json` (packages/shared/src/claim-check.ts) between
 * steps 2 and 3; a failure to store it is a failure to publish.
 *
 * So there is never a `queued` job with no command behind it, and never a command with no
 * job. A duplicate (same key, same request: created = false) publishes nothing again.
 *
 * Job ids are random UUID v4 (crypto.randomUUID): unguessable, so one owner cannot probe
 * another's ids; listing order comes from the owner index's createdAt, not from the id.
 */
import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  EventType,
  PipelineError,
  Topic,
  createEvent,
  currentTraceparent,
  retry,
  serviceSource,
  toPipelineError,
  type Bus,
  type Job,
  type JobStore,
  type Logger,
  type ObjectStore,
  type PipelineEvent,
  type RetryOptions,
  type SourcePolicy,
} from '@artifact-pipeline/shared';
import { sourceAccessMark } from './command-inputs.js';
import { needsClaimCheck, requestKey, storeRequest, withRequestRef } from '@artifact-pipeline/shared/claim-check';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { withExtension } from './command-inputs.js';
import { summarizeReport, summarizeZip, type ReportCommandData, type ZipCommandData } from './command-summary.js';

export type { ReportCommandData, ZipCommandData } from './command-summary.js';

/** How long an idempotency key is kept (DESIGN §5 `ap:idem`): 24 h, in seconds. */
export const IDEMPOTENCY_TTL_SECONDS = 86_400;

/**
 * Publish retries: short, because an HTTP caller is waiting. 4 tries over at most ~10 s
 * (200 ms doubling, full jitter); only transient errors (errors.ts allow-list) are retried.
 */
export const PUBLISH_RETRY: Partial<RetryOptions> = Object.freeze({ attempts: 4, budgetMs: 10_000, baseMs: 200, maxMs: 2_000 });

export interface AcceptDeps {
  jobs: JobStore;
  bus: Bus;
  logger: Logger;
  metrics: Pick<Metrics, 'commandsPublishedTotal'>;
  /** Default: the system clock. */
  clock?: () => Date;
  /** Overrides PUBLISH_RETRY (tests make it quick). */
  publishRetry?: Partial<RetryOptions>;
  /** Who may read which sources (docs/auth.md); the service always passes it. */
  sources?: SourcePolicy;
  /** Where commands too large for the bus store their request; without it every command is sent whole. */
  claimCheck?: ClaimCheckDeps;
}

export interface ClaimCheckDeps {
  objects: ObjectStore;
  /** ARTIFACTS_BUCKET. */
  bucket: string;
  /** BUS_MAX_MESSAGE_BYTES. */
  maxMessageBytes: number;
}

interface CommandCommon {
  /** The JWT `sub`, or the owner an ingest rule named. Overrides any `owner` in `payload`. */
  owner: string;
  /** Claims this key for `owner` for 24 h; needs `requestHash`. */
  idempotencyKey?: string;
  /** SHA-256 (hex) of the canonical request; same key + another hash → IDEMPOTENCY_MISMATCH. */
  requestHash?: string;
  /** The originating W3C trace context; default: the active span's. */
  traceparent?: string;
  tracestate?: string;
  /** A job id the sender chose (inbound events may carry one); default: a new UUID v4. */
  jobId?: string;
  /** The caller has the admin scope: it may read any allowed bucket's sources. */
  admin?: boolean;
  /** How refusals name the source field; default `source` (inbound events: `data.source`). */
  sourcePath?: string;
}

export type AcceptCommand =
  | (CommandCommon & { type: 'zip'; payload: ZipCommandData })
  | (CommandCommon & { type: 'report'; payload: ReportCommandData });

export interface AcceptResult {
  job: Job;
  /** False when the idempotency key named an existing job: nothing was published. */
  created: boolean;
}

export async function acceptCommand(deps: AcceptDeps, cmd: AcceptCommand): Promise<AcceptResult> {
  const { jobs, bus, logger, metrics, clock = () => new Date(), publishRetry = PUBLISH_RETRY } = deps;
  if (cmd.idempotencyKey !== undefined && cmd.requestHash === undefined) {
    throw new PipelineError('an idempotency key needs a request hash', { code: ErrorCode.INTERNAL, retriable: false });
  }
  const jobId = cmd.jobId ?? randomUUID();
  const now = clock().toISOString();
  const mark = deps.sources ? sourceAccessMark(deps.sources, cmd) : {};
  const { event, topic, input } = buildCommand(cmd, jobId, now);

  const claim =
    cmd.idempotencyKey !== undefined
      ? { key: cmd.idempotencyKey, requestHash: cmd.requestHash!, owner: cmd.owner, ttlSeconds: IDEMPOTENCY_TTL_SECONDS }
      : undefined;
  const { job, created } = await jobs.create({ id: jobId, type: cmd.type, owner: cmd.owner, input: { ...input, ...mark }, createdAt: now }, claim);
  if (!created) return { job, created };

  let stored = false;
  try {
    let message = event;
    const large = deps.claimCheck;
    if (large && needsClaimCheck(event, large.maxMessageBytes)) {
      const ref = await retry(() => storeRequest(large.objects, large.bucket, jobId, event.data as object), publishRetry);
      stored = true;
      const type = cmd.type === 'zip' ? EventType.zipRequested : EventType.reportRequested;
      message = { ...event, data: withRequestRef(type, event.data as Record<string, unknown>, ref) };
      logger.info({ jobId, bytes: ref.bytes, key: ref.key }, 'command too large for the bus: request stored in S3');
    }
    await retry(() => bus.publish(topic, message), publishRetry);
  } catch (err) {
    if (stored) await deps.claimCheck!.objects.delete(deps.claimCheck!.bucket, requestKey(jobId)).catch(() => undefined);
    return markUnpublished(deps, job, err, clock);
  }
  metrics.commandsPublishedTotal.inc({ type: cmd.type });
  logger.info({ jobId, type: cmd.type, owner: cmd.owner, topic }, 'job accepted');
  return { job, created };
}

function buildCommand(cmd: AcceptCommand, jobId: string, now: string): { event: PipelineEvent; topic: string; input: Record<string, unknown> } {
  const traceparent = cmd.traceparent ?? currentTraceparent();
  const options = {
    source: serviceSource('ingest'),
    time: now,
    ...(traceparent !== undefined ? { traceparent } : {}),
    ...(cmd.tracestate !== undefined ? { tracestate: cmd.tracestate } : {}),
    ...(cmd.idempotencyKey !== undefined ? { idempotencykey: cmd.idempotencyKey } : {}),
  };
  // The artifact's extension, the same way on every path (HTTP, /v1/events, Kafka inbound, S3 rules).
  if (cmd.type === 'zip') {
    const data = { ...cmd.payload, output: { name: withExtension(cmd.payload.output.name, 'zip') }, jobId, owner: cmd.owner };
    return { event: createEvent(EventType.zipRequested, data, options), topic: Topic.zipCommands, input: summarizeZip(data) };
  }
  const data = { ...cmd.payload, output: { name: withExtension(cmd.payload.output.name, cmd.payload.format) }, jobId, owner: cmd.owner };
  return { event: createEvent(EventType.reportRequested, data, options), topic: Topic.reportCommands, input: summarizeReport(data) };
}

/** The publish failed for good: the job must not stay `queued`. */
async function markUnpublished(deps: AcceptDeps, job: Job, err: unknown, clock: () => Date): Promise<never> {
  const cause = toPipelineError(err);
  const error = { code: ErrorCode.PUBLISH_FAILED, message: `the command could not be published: ${cause.message}`, retriable: true };
  deps.logger.error({ err, jobId: job.id, type: job.type }, 'command not published; marking the job failed');
  try {
    await retry(() => deps.jobs.apply(job.id, { kind: 'failed', attempt: 1, at: clock().toISOString(), error, final: true }), deps.publishRetry ?? PUBLISH_RETRY);
  } catch (applyErr) {
    // Both the bus and the store are failing: nothing more can be done here; say so loudly.
    deps.logger.fatal({ err: applyErr, jobId: job.id }, 'job left queued without a command: the failure could not be recorded');
  }
  throw new PipelineError(error.message, { code: ErrorCode.PUBLISH_FAILED, retriable: true, cause: err, context: { jobId: job.id } });
}
