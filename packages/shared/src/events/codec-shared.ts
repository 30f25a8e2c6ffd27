/**
 * What the three codecs share: reading header values, telling content modes apart,
 * parsing JSON with a precise reason.
 *
 * Decoding is done here rather than with the `cloudevents` package's `toEvent`, because
 * v10's deserializers invent what is missing instead of rejecting it: a random `id`, the
 * current `time` and specversion 1.0 when absent; a body that is not JSON is wrapped in
 * quotes and accepted as a string; a structured Kafka message without `time` throws a
 * RangeError; a Kafka message without a key loses its `partitionkey`. We build a plain
 * candidate from the wire and let parseEvent judge it, so every such case is reported.
 */
import { invalidEvent } from './parse-event.js';

export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** The content modes of the CloudEvents protocol bindings (HTTP §3, Kafka §3). */
export type ContentMode = 'binary' | 'structured' | 'batch';

/** Content type of the JSON event format (structured mode). */
export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json';
export const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json';

/** Lower-cased header names, values as UTF-8 strings. A name repeated with different values is an error. */
export function normalizeHeaders(headers: Record<string, HeaderValue> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(headers ?? {})) {
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    const values = (Array.isArray(rawValue) ? rawValue : [rawValue]).map((v) =>
      Buffer.isBuffer(v) ? v.toString('utf8') : String(v),
    );
    if (name in out) values.unshift(out[name]!);
    const distinct = [...new Set(values)];
    if (distinct.length > 1) {
      throw invalidEvent([`header ${name}: given more than once with different values`]);
    }
    if (distinct[0] !== undefined) out[name] = distinct[0];
  }
  return out;
}

/** The mode a message is in, from its content type; `binary` for anything not a CloudEvents format. */
export function contentMode(contentType: string | undefined): ContentMode {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === BATCH_CONTENT_TYPE || mediaType.startsWith('application/cloudevents-batch')) return 'batch';
  if (mediaType.startsWith('application/cloudevents')) return 'structured';
  return 'binary';
}

/** Structured mode only speaks the JSON event format. */
export function assertJsonEventFormat(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== STRUCTURED_CONTENT_TYPE) {
    throw invalidEvent([`content-type: event format ${JSON.stringify(mediaType)} is not supported; use ${STRUCTURED_CONTENT_TYPE}`]);
  }
}

export const BATCH_REFUSED =
  'content-type: batched events (application/cloudevents-batch+json) are not accepted; send one event per message';

/** JSON.parse with the reason in an INVALID_EVENT error. */
export function parseJson(text: string, what: string): unknown {
  if (text.trim() === '') throw invalidEvent([`${what}: is empty`]);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalidEvent([`${what}: not JSON (${err instanceof Error ? err.message : String(err)})`]);
  }
}

/** A structured-mode body must be one JSON object, not an array (that would be a batch). */
export function parseStructuredBody(text: string, what: string): Record<string, unknown> {
  const value = parseJson(text, what);
  if (Array.isArray(value)) throw invalidEvent([`${what}: a JSON array is a batch; send one event per message`]);
  if (typeof value !== 'object' || value === null) {
    throw invalidEvent([`${what}: expected a CloudEvent JSON object (got ${value === null ? 'null' : typeof value})`]);
  }
  return value as Record<string, unknown>;
}
