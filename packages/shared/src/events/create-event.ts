/**
 * Builds the events the services publish, with every attribute DESIGN §3 asks for:
 * a UUID id, `time` always set, `dataschema`, and `subject` / `partitionkey` = the job id.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, PipelineError, isPipelineError } from '../errors.js';
import type { EventType } from './envelope.js';
import { dataschemaFor } from './event-registry.js';
import type { TypedEvent } from './event-types.js';
import type { EventData } from './payloads.js';
import { parseEvent } from './parse-event.js';

export interface CreateEventOptions {
  /** `/artifact-pipeline/<service>`. */
  source: string;
  /** Default: `data.jobId` when the payload has one. */
  subject?: string;
  /** Default: a random UUID. */
  id?: string;
  /** RFC 3339. Default: now, as `Date#toISOString()`. */
  time?: string;
  /** The originating trace context (copy it from the command a worker is handling). */
  traceparent?: string;
  tracestate?: string;
  idempotencykey?: string;
}

/** The `source` attribute for one of our services: `/artifact-pipeline/<service>`. */
export function serviceSource(service: string): string {
  return `/artifact-pipeline/${service}`;
}

/**
 * Throws INVALID_EVENT (not retriable) when `data` or an option is invalid: that is a
 * programming error in the publisher, and publishing it would only move the failure.
 */
export function createEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  options: CreateEventOptions,
): TypedEvent<T> {
  const jobId = (data as { jobId?: unknown }).jobId;
  const candidate: Record<string, unknown> = {
    specversion: '1.0',
    id: options.id ?? randomUUID(),
    source: options.source,
    type,
    time: options.time ?? new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataschemaFor(type),
  };
  const subject = options.subject ?? (typeof jobId === 'string' ? jobId : undefined);
  if (subject !== undefined) candidate.subject = subject;
  if (typeof jobId === 'string') candidate.partitionkey = jobId;
  for (const name of ['traceparent', 'tracestate', 'idempotencykey'] as const) {
    if (options[name] !== undefined) candidate[name] = options[name];
  }
  candidate.data = data;
  try {
    return parseEvent(candidate) as TypedEvent<T>;
  } catch (err) {
    if (!isPipelineError(err)) throw err;
    throw new PipelineError(`createEvent(${type}): ${err.message.replace(/^invalid event: /, '')}`, {
      code: ErrorCode.INVALID_EVENT,
      retriable: false,
      context: err.context,
    });
  }
}
