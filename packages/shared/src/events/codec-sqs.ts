/**
 * SQS carries events in structured mode (DESIGN §3): the message body is the whole event
 * in the CloudEvents JSON format (json-format.md §3). Per-hop trace context travels as
 * message attributes, which the SQS adapter handles, not this codec.
 */
import type { PipelineEvent } from './envelope.js';
import type { AnyPipelineEvent } from './event-types.js';
import { parseEvent, type ParseEventOptions } from './parse-event.js';
import { parseStructuredBody } from './codec-shared.js';

/** The order attributes are written in: the envelope first, `data` last, for people reading queues. */
const ATTRIBUTE_ORDER = [
  'specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'dataschema',
  'partitionkey', 'traceparent', 'tracestate', 'idempotencykey',
] as const;

/**
 * The JSON event format needs nothing the `cloudevents` package adds; writing it directly
 * keeps `time` exactly as created (the package re-renders it through `Date`).
 */
export function toSqsBody(event: PipelineEvent): string {
  const ordered: Record<string, unknown> = {};
  for (const name of ATTRIBUTE_ORDER) {
    if (event[name] !== undefined) ordered[name] = event[name];
  }
  ordered.data = event.data;
  return JSON.stringify(ordered);
}

/**
 * Throws PipelineError INVALID_EVENT (not retriable) when the body is not JSON, not a
 * CloudEvent, of an unknown type, or carries invalid data.
 */
export function fromSqsBody(body: string, options?: { allowMissingJobId?: false }): AnyPipelineEvent;
export function fromSqsBody(body: string, options: ParseEventOptions): PipelineEvent;
export function fromSqsBody(body: string, options: ParseEventOptions = {}): PipelineEvent {
  return parseEvent(parseStructuredBody(body, 'body'), options);
}
