/**
 * Events from other systems (DESIGN §2 "Events from other systems"), the same path for
 * Kafka `artifacts.inbound` and HTTP `POST /v1/events`. The event is already decoded and
 * validated (codecs with allowMissingJobId); this decides what it starts:
 *
 * - `zip.requested` / `report.requested`: a job for `data.owner` (required by the schema),
 *   with the sender's `data.jobId` or a new one. Idempotency key: the `idempotencykey`
 *   extension, else `ce:{source}:{id}` — CloudEvents §3.1.1 makes source + id unique per
 *   event, so a redelivered or resent copy of one event names one job;
 * - `object.created`: the object goes through INGEST_RULES like an S3 notification
 *   (s3-object.ts), so the owner comes from the rule's pattern;
 * - anything else: INVALID_EVENT (not retriable): dead-lettered / 400 with the reason.
 *
 * Source buckets must be ARTIFACTS_BUCKET or in ALLOWED_SOURCE_BUCKETS (as for HTTP
 * commands): BUCKET_NOT_ALLOWED, not retriable. The source must be one `data.owner` may read
 * (source-policy.ts, checked in acceptCommand): SOURCE_FORBIDDEN, not retriable; only an
 * HTTP sender with the admin scope reads beyond. The other door checks of HTTP commands apply
 * too (`.` / `..` segments, an empty report: INVALID_EVENT naming `data.…`), and the output
 * name gets its extension as on every path (acceptCommand). `authorize` lets HTTP check the owner.
 */
import { createHash } from 'node:crypto';
import {
  ErrorCode,
  EventType,
  PipelineError,
  invalidEvent,
  isEventOfType,
  type Job,
  type ObjectCreated,
  type PipelineEvent,
  type ReportRequestedDraft,
  type ZipRequestedDraft,
} from '@artifact-pipeline/shared';
import { acceptCommand, type AcceptCommand, type AcceptDeps } from './accept-command.js';
import { payloadProblems, resolveBucket, type SourceBuckets } from './command-inputs.js';
import { acceptObject } from './s3-object.js';
import type { RuleMatcher } from './rules-match.js';

export interface InboundDeps {
  accept: AcceptDeps;
  matcher: RuleMatcher;
  buckets: SourceBuckets;
  /** Throws when the caller may not start a job for `owner` (HTTP: the token's owner or admin). */
  authorize?: (owner: string) => void;
  /** The sender has the admin scope (HTTP tokens); Kafka senders never do. */
  admin?: boolean;
}

export interface InboundResult {
  /** Undefined for an object.created no rule matched. */
  job?: Job;
  created: boolean;
}

/** How an event from another system is told apart from its copies. */
export function inboundIdempotencyKey(event: PipelineEvent): string {
  return event.idempotencykey ?? `ce:${event.source}:${event.id}`;
}

function requestHash(event: PipelineEvent): string {
  return createHash('sha256').update(JSON.stringify([event.type, event.data])).digest('hex');
}

function commandOf(event: PipelineEvent, buckets: SourceBuckets, admin: boolean): AcceptCommand {
  const common = {
    admin,
    sourcePath: 'data.source',
    idempotencyKey: inboundIdempotencyKey(event),
    requestHash: requestHash(event),
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    ...(event.tracestate ? { tracestate: event.tracestate } : {}),
  };
  if (event.type === EventType.zipRequested) {
    const { jobId, owner, ...payload } = event.data as ZipRequestedDraft;
    resolveBucket(payload.source.bucket, buckets, 'data.source.bucket');
    return { ...common, type: 'zip', owner, payload, ...(jobId ? { jobId } : {}) };
  }
  if (event.type === EventType.reportRequested) {
    const { jobId, owner, ...payload } = event.data as ReportRequestedDraft;
    if (payload.source) resolveBucket(payload.source.bucket, buckets, 'data.source.bucket');
    return { ...common, type: 'report', owner, payload, ...(jobId ? { jobId } : {}) };
  }
  throw invalidEvent([`type: ${event.type} is not accepted from other systems (zip.requested, report.requested, object.created)`]);
}

/** The door checks of HTTP commands (command-inputs.ts), answered as an invalid event naming `data.…`. */
function checkInbound(cmd: AcceptCommand): void {
  const errors = payloadProblems(cmd);
  if (errors.length > 0) throw invalidEvent(errors.map((e) => `data.${e.path}: ${e.message}`));
}

export async function acceptInboundEvent(deps: InboundDeps, event: PipelineEvent): Promise<InboundResult> {
  if (isEventOfType(event, EventType.objectCreated)) {
    const object = event.data as ObjectCreated;
    resolveBucket(object.bucket, deps.buckets, 'data.bucket');
    const match = deps.matcher(object.bucket, object.key);
    if (match && deps.authorize) deps.authorize(match.segments.owner ?? '');
    const { job, outcome } = await acceptObject({ accept: deps.accept, matcher: deps.matcher }, object, { redelivery: true });
    return { ...(job ? { job } : {}), created: outcome === 'matched' };
  }
  const cmd = commandOf(event, deps.buckets, deps.admin === true);
  checkInbound(cmd);
  deps.authorize?.(cmd.owner);
  const { job, created } = await acceptCommand(deps.accept, cmd);
  if (job.owner !== cmd.owner || job.type !== cmd.type) {
    // The sender's jobId names a job someone else started: never hand that job out.
    throw new PipelineError('data.jobId: already names another job', {
      code: ErrorCode.INVALID_EVENT, retriable: false, context: { errors: ['data.jobId: already names another job; omit it to get a new one'] },
    });
  }
  return { job, created };
}
