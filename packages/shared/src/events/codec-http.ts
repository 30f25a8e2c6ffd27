/**
 * HTTP protocol binding for CloudEvents (http-protocol-binding.md, 1.0.2): POST
 * /v1/events accepts binary mode (§3.1: `ce-*` headers, body = data) and structured
 * mode (§3.2: `content-type: application/cloudevents+json`, body = the event). Batched
 * mode (§3.3) is refused: one event per request keeps the 202 answer about one job.
 */
import { HTTP, type CloudEventV1 } from 'cloudevents';
import type { PipelineEvent } from './envelope.js';
import type { AnyPipelineEvent } from './event-types.js';
import { parseEvent, invalidEvent, type ParseEventOptions } from './parse-event.js';
import { toSqsBody } from './codec-sqs.js';
import {
  BATCH_REFUSED,
  STRUCTURED_CONTENT_TYPE,
  assertJsonEventFormat,
  contentMode,
  parseJson,
  parseStructuredBody,
} from './codec-shared.js';
import { decodeHeaderValue, encodeHeaderValue } from './http-header-values.js';

export type HttpContentMode = 'binary' | 'structured';

export interface HttpEventRequest {
  headers: Record<string, string>;
  body: string;
}

const CE_PREFIX = 'ce-';

export function toHttpRequest(event: PipelineEvent, mode: HttpContentMode): HttpEventRequest {
  if (mode === 'structured') {
    return { headers: { 'content-type': `${STRUCTURED_CONTENT_TYPE}; charset=utf-8` }, body: toSqsBody(event) };
  }
  const message = HTTP.binary(event as unknown as CloudEventV1<unknown>);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    const single = Array.isArray(value) ? value.join(',') : String(value);
    // cloudevents v10 writes header values raw; §3.1.3.2 requires percent-encoding.
    headers[name.toLowerCase()] = name.toLowerCase().startsWith(CE_PREFIX) ? encodeHeaderValue(single) : single;
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  // The package re-renders `time` through Date; keep the event's own string.
  headers['ce-time'] = encodeHeaderValue(event.time);
  return { headers, body: JSON.stringify(event.data) };
}

function single(name: string, value: string | string[] | undefined): string | undefined {
  if (!Array.isArray(value)) return value;
  const distinct = [...new Set(value)];
  if (distinct.length > 1) throw invalidEvent([`header ${name}: given more than once with different values`]);
  return distinct[0];
}

function bodyText(body: string | Buffer | object): string | undefined {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return undefined;
}

/**
 * Decodes a request in binary or structured mode and validates it (parseEvent). `body`
 * may be the raw text (preferred) or what a body parser already made of JSON.
 * Throws PipelineError INVALID_EVENT (not retriable) naming what is wrong.
 */
export function fromHttpRequest(
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer | object,
  options?: { allowMissingJobId?: false },
): AnyPipelineEvent;
export function fromHttpRequest(
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer | object,
  options: ParseEventOptions,
): PipelineEvent;
export function fromHttpRequest(
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer | object,
  options: ParseEventOptions = {},
): PipelineEvent {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = single(name.toLowerCase(), value);
    if (v !== undefined) lower[name.toLowerCase()] = v;
  }
  const contentType = lower['content-type'];
  const mode = contentMode(contentType);
  if (mode === 'batch') throw invalidEvent([BATCH_REFUSED]);
  const raw = bodyText(body);
  if (mode === 'structured') {
    assertJsonEventFormat(contentType);
    if (raw === undefined) return parseEvent(structuredObject(body as object), options);
    return parseEvent(parseStructuredBody(raw, 'body'), options);
  }
  const ceNames = Object.keys(lower).filter((name) => name.startsWith(CE_PREFIX));
  if (ceNames.length === 0) {
    throw invalidEvent([
      'not a CloudEvent: no ce-* headers (binary mode) and content-type is not application/cloudevents+json (structured mode)',
    ]);
  }
  const candidate: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of ceNames) {
    const decoded = decodeHeaderValue(lower[name]!);
    if (decoded === undefined) problems.push(`header ${name}: invalid percent-encoding or UTF-8`);
    else candidate[name.slice(CE_PREFIX.length)] = decoded;
  }
  if (problems.length > 0) throw invalidEvent(problems);
  // §3.1.1: Content-Type is the datacontenttype in binary mode.
  if (contentType !== undefined) candidate.datacontenttype = contentType;
  if (raw === undefined) candidate.data = body;
  else candidate.data = parseJson(raw, 'body');
  return parseEvent(candidate, options);
}

function structuredObject(body: object): Record<string, unknown> {
  if (Array.isArray(body)) throw invalidEvent(['body: a JSON array is a batch; send one event per request']);
  return body as Record<string, unknown>;
}
