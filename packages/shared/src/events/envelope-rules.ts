/**
 * Checks of the CloudEvents 1.0 context attributes (spec §3) as the pipeline uses them
 * (DESIGN §3): `time` is required here although the spec makes it optional, `data` must
 * be JSON. Each check returns problem lines `name: what is wrong`.
 */
import { isRfc3339 } from './payload-fields.js';

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
/** CloudEvents 1.0 §3.1.1: attribute names are lower-case ASCII letters and digits. */
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;

/** Attributes the pipeline knows; anything else is a foreign extension (checked, then dropped). */
export const KNOWN_ATTRIBUTES = new Set([
  'specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'dataschema',
  'partitionkey', 'traceparent', 'tracestate', 'idempotencykey', 'data',
]);

/** Optional string attributes: name → [max length, extra check, what the check wants]. */
const OPTIONAL_STRINGS: Record<string, [number, ((v: string) => boolean)?, string?]> = {
  subject: [256],
  dataschema: [2048, isAbsoluteUri, 'an absolute URI'],
  partitionkey: [256],
  traceparent: [55, (v) => TRACEPARENT.test(v), 'a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)'],
  tracestate: [512],
  // DESIGN §6: Idempotency-Key is at most 255 characters.
  idempotencykey: [255],
};

function isAbsoluteUri(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function requiredString(event: Record<string, unknown>, name: string, max: number, problems: string[]): void {
  const value = event[name];
  if (value === undefined || value === null) problems.push(`${name}: is required`);
  else if (typeof value !== 'string') problems.push(`${name}: expected string (got ${shown(value)})`);
  else if (value.length === 0) problems.push(`${name}: must not be empty`);
  else if (value.length > max) problems.push(`${name}: longer than ${max} characters`);
}

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonContentType(value: string): boolean {
  return /^application\/json\s*(;.*)?$/i.test(value.trim());
}

/** Problems with the context attributes (not `type` or `data`, which the caller checks). */
export function envelopeProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const spec = event.specversion;
  if (spec === undefined) problems.push('specversion: is required');
  else if (spec !== '1.0') problems.push(`specversion: expected "1.0" (got ${shown(spec)})`);
  requiredString(event, 'id', 256, problems);
  requiredString(event, 'source', 1024, problems);
  requiredString(event, 'time', 64, problems);
  if (typeof event.time === 'string' && event.time !== '' && !isRfc3339(event.time)) {
    problems.push(`time: expected an RFC 3339 date-time (got ${shown(event.time)})`);
  }
  const contentType = event.datacontenttype;
  if (contentType !== undefined && (typeof contentType !== 'string' || !isJsonContentType(contentType))) {
    problems.push(`datacontenttype: expected application/json (got ${shown(contentType)})`);
  }
  for (const [name, [max, check, wanted]] of Object.entries(OPTIONAL_STRINGS)) {
    const value = event[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') problems.push(`${name}: expected string (got ${shown(value)})`);
    else if (value.length > max) problems.push(`${name}: longer than ${max} characters`);
    else if (check && !check(value)) problems.push(`${name}: expected ${wanted} (got ${shown(value)})`);
  }
  if ('data_base64' in event) problems.push('data_base64: binary data is not accepted; send JSON data');
  for (const [name, value] of Object.entries(event)) {
    if (KNOWN_ATTRIBUTES.has(name) || name === 'data_base64') continue;
    if (!ATTRIBUTE_NAME.test(name)) {
      problems.push(`${name}: not a valid CloudEvents attribute name (lower-case letters and digits only)`);
    } else if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      problems.push(`${name}: extension values must be strings, numbers or booleans`);
    }
  }
  return problems;
}

export { shown as showValue };
