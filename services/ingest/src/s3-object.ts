/**
 * One new S3 object, from an S3 notification or an `object.created` event from another
 * system, to at most one job (DESIGN §7, docs/ingest-rules.md):
 *
 * 1. it becomes an `io.artifactpipeline.object.created.v1` event (validated by createEvent),
 *    recorded as a span event on the active span (the notification's root span) and logged.
 *    It is NOT published on artifacts.events: that topic carries job lifecycle events for
 *    the status projector, and an object without a job is no change to any job;
 * 2. no matching rule: `unmatched` — acknowledged, counted, nothing else;
 * 3. the dedupe marker `ap:s3seen:{bucket}:{key}:{sequencer}` (24 h, JobStore.markSeen): a
 *    copy already seen is `duplicate`. Only first deliveries trust the marker: a redelivery
 *    (attempt > 1) may be our own earlier attempt, which set the marker and then failed
 *    before the job was recorded, so it goes on to step 4 and relies on the idempotency key;
 * 4. acceptCommand with idempotency key `s3:{bucket}:{key}:{sequencer}`: a copy that slipped
 *    past the marker (handled at the same moment, or after the marker expired while the key
 *    lives) gets the existing job back (`duplicate`) and publishes nothing.
 */
import { trace } from '@opentelemetry/api';
import {
  ErrorCode,
  EventType,
  createEvent,
  currentTraceparent,
  isPipelineError,
  serviceSource,
  type Job,
  type ObjectCreated,
} from '@artifact-pipeline/shared';
import { TelemetryNames, type S3NotificationOutcome } from '@artifact-pipeline/shared/telemetry/names';
import { acceptCommand, type AcceptDeps } from './accept-command.js';
import { commandForObject, versionToken } from './rules-command.js';
import type { RuleMatcher } from './rules-match.js';

/** How long a notification is remembered for dedupe (DESIGN §5 `ap:s3seen`): 24 h, in s. */
export const S3_SEEN_TTL_SECONDS = 86_400;

export interface ObjectIngestDeps {
  accept: AcceptDeps;
  matcher: RuleMatcher;
}

export interface ObjectOutcome {
  outcome: Exclude<S3NotificationOutcome, 'test'>;
  /** The job the object started (matched), or the one a copy already started (duplicate). */
  job?: Job;
}

const attr = TelemetryNames.attributes;

export async function acceptObject(
  deps: ObjectIngestDeps,
  object: ObjectCreated,
  { redelivery = false }: { redelivery?: boolean } = {},
): Promise<ObjectOutcome> {
  const { accept, matcher } = deps;
  const traceparent = currentTraceparent();
  const event = createEvent(EventType.objectCreated, object, { source: serviceSource('ingest'), ...(traceparent ? { traceparent } : {}) });
  const facts = { bucket: object.bucket, key: object.key, size: object.size, sequencer: object.sequencer };
  trace.getActiveSpan()?.addEvent(EventType.objectCreated, {
    [attr.cloudeventsId]: event.id, [attr.s3Bucket]: object.bucket, [attr.s3Key]: object.key,
  });

  const match = matcher(object.bucket, object.key);
  if (match === undefined) {
    accept.logger.info({ ...facts, eventId: event.id, outcome: 'unmatched' }, 'object created; no ingest rule matches');
    return { outcome: 'unmatched' };
  }
  trace.getActiveSpan()?.setAttribute(attr.ingestRule, match.index);
  const fresh = await accept.jobs.markSeen(`${object.bucket}:${object.key}:${versionToken(object)}`, S3_SEEN_TTL_SECONDS);
  if (!fresh && !redelivery) {
    accept.logger.info({ ...facts, eventId: event.id, outcome: 'duplicate' }, 'object created; notification already seen');
    return { outcome: 'duplicate' };
  }
  try {
    const { job, created } = await acceptCommand(accept, commandForObject(match, object));
    const outcome = created ? 'matched' : 'duplicate';
    accept.logger.info({ ...facts, eventId: event.id, outcome, rule: match.index, jobId: job.id }, 'object created; job accepted');
    return { outcome, job };
  } catch (err) {
    // The key names a job made from another command: INGEST_RULES changed between two
    // copies of one notification. The first copy's job stands; this one is a duplicate.
    if (isPipelineError(err) && err.code === ErrorCode.IDEMPOTENCY_MISMATCH) {
      accept.logger.warn({ ...facts, rule: match.index, jobId: err.context.jobId }, 'object created; its key already named another job');
      return { outcome: 'duplicate' };
    }
    throw err;
  }
}
