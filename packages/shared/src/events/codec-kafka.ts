/**
 * Kafka protocol binding for CloudEvents (kafka-protocol-binding.md, 1.0): we write
 * binary mode (§3.2: `ce_*` headers, `content-type` = datacontenttype, value = the JSON
 * data, key = partitionkey per §3.1) and read binary and structured mode (§3.3,
 * `content-type: application/cloudevents+json`, value = the whole event).
 *
 * Per-hop trace context is a separate pair of plain `traceparent` / `tracestate` headers
 * that the Kafka adapter adds and reads; only `ce_traceparent` / `ce_tracestate` are the
 * event's own (originating) trace context extension. The two never mix here.
 */
import { Kafka, type CloudEventV1 } from 'cloudevents';
import type { PipelineEvent } from './envelope.js';
import type { AnyPipelineEvent } from './event-types.js';
import { parseEvent, invalidEvent, type ParseEventOptions } from './parse-event.js';
import {
  BATCH_REFUSED,
  assertJsonEventFormat,
  contentMode,
  normalizeHeaders,
  parseJson,
  parseStructuredBody,
  type HeaderValue,
} from './codec-shared.js';

export interface KafkaOutboundMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * What kafkajs hands a consumer (its `KafkaMessage`), reduced to what decoding needs. The
 * message key is not read: `partitionkey` travels as `ce_partitionkey` (binary) or in the
 * JSON (structured), so an event without one decodes without one.
 */
export interface KafkaInboundMessage {
  value: Buffer | string | null;
  headers?: Record<string, HeaderValue>;
}

const CE_PREFIX = 'ce_';

/** Binary mode. Key: partitionkey (the job id), else subject, else the event id. */
export function toKafkaMessage(event: PipelineEvent): KafkaOutboundMessage {
  const message = Kafka.binary(event as unknown as CloudEventV1<unknown>);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    // cloudevents v10 emits a header for every own property, `undefined` ones included,
    // and kafkajs throws on those: drop them.
    if (value === undefined) continue;
    // §3.2.3: every attribute except datacontenttype is a ce_ header; that one is `content-type`.
    if (name === `${CE_PREFIX}datacontenttype`) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return {
    key: event.partitionkey ?? event.subject ?? event.id,
    // cloudevents v10 leaves the value as the data object: kafkajs needs a string or Buffer.
    value: JSON.stringify(event.data),
    headers,
  };
}

function text(value: Buffer | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : value;
}

function binaryCandidate(headers: Record<string, string>, value: string | undefined): Record<string, unknown> {
  const ceNames = Object.keys(headers).filter((name) => name.startsWith(CE_PREFIX));
  if (ceNames.length === 0) {
    throw invalidEvent([
      `not a CloudEvent: no ce_* headers (binary mode) and content-type is not application/cloudevents+json (structured mode)`,
    ]);
  }
  const candidate: Record<string, unknown> = {};
  for (const name of ceNames) candidate[name.slice(CE_PREFIX.length)] = headers[name];
  // §3.2.1: content-type is the datacontenttype; a stray ce_datacontenttype only counts without it.
  const contentType = headers['content-type'] ?? headers[`${CE_PREFIX}datacontenttype`];
  if (contentType === undefined) delete candidate.datacontenttype;
  else candidate.datacontenttype = contentType;
  if (value === undefined) {
    throw invalidEvent(['value: is empty; a binary-mode event carries its JSON data in the value']);
  }
  candidate.data = parseJson(value, 'value');
  return candidate;
}

/**
 * Decodes a consumed message in binary or structured mode and validates it (parseEvent).
 * Throws PipelineError INVALID_EVENT (not retriable) naming what is wrong.
 */
export function fromKafkaMessage(message: KafkaInboundMessage, options?: { allowMissingJobId?: false }): AnyPipelineEvent;
export function fromKafkaMessage(message: KafkaInboundMessage, options: ParseEventOptions): PipelineEvent;
export function fromKafkaMessage(message: KafkaInboundMessage, options: ParseEventOptions = {}): PipelineEvent {
  const headers = normalizeHeaders(message.headers);
  const value = text(message.value);
  const mode = contentMode(headers['content-type']);
  if (mode === 'batch') throw invalidEvent([BATCH_REFUSED]);
  let candidate: Record<string, unknown>;
  if (mode === 'structured') {
    assertJsonEventFormat(headers['content-type']);
    if (value === undefined) throw invalidEvent(['value: is empty; a structured-mode event is the value']);
    candidate = parseStructuredBody(value, 'value');
  } else {
    candidate = binaryCandidate(headers, value);
  }
  return parseEvent(candidate, options);
}
