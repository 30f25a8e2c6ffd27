/**
 * Field schemas the payloads share (DESIGN §3), each written once so every event limits
 * a bucket, a key or a job id the same way. Limits follow the systems the values end up in:
 * S3 (bucket names, 1,024-byte keys), Redis keys, file names inside a ZIP.
 */
import { FormatRegistry, Type } from '@sinclair/typebox';

/** RFC 3339 date-time with a zone, as CloudEvents `time` and our timestamps use it. */
export const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** The pattern, plus a day that exists in its month (Date.parse would roll 02-30 into March). */
export function isRfc3339(value: string): boolean {
  if (!RFC3339.test(value)) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** S3 limits a key to 1,024 bytes of UTF-8, not characters. */
export const MAX_KEY_BYTES = 1024;
const isObjectKey = (value: string): boolean => value.length > 0 && Buffer.byteLength(value, 'utf8') <= MAX_KEY_BYTES;

// TypeBox checks `format` through a global registry; the JSON Schema keeps the standard
// names (`date-time`, `uri`) so other systems' validators understand them. Registered only
// when absent so a second copy of this module (or another user of TypeBox) is not overridden.
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isRfc3339);
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', isHttpUrl);
if (!FormatRegistry.Has('s3-key')) FormatRegistry.Set('s3-key', isObjectKey);

/** Job ids appear in Redis keys and S3 keys: a safe alphabet, at most 128 characters. */
export const JobId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$',
  maxLength: 128,
  description: 'The job id (a UUID when ingest assigns it).',
});

/** The JWT `sub` of whoever asked for the job. */
export const Owner = Type.String({ minLength: 1, maxLength: 256, description: 'Owner of the job (JWT sub).' });

/** S3 bucket naming rules: 3–63 characters, lower case, digits, dots and hyphens. */
export const Bucket = Type.String({
  pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
  minLength: 3,
  maxLength: 63,
  description: 'S3 bucket name.',
});

/** An S3 object key, decoded (never form-encoded): 1–1,024 bytes of UTF-8. */
export function objectKey(description = 'S3 object key, decoded; at most 1,024 bytes of UTF-8.') {
  return Type.String({ format: 's3-key', minLength: 1, maxLength: MAX_KEY_BYTES, description });
}
export const ObjectKey = objectKey();

/** A key prefix; empty means the whole bucket. */
export const KeyPrefix = Type.String({ maxLength: MAX_KEY_BYTES, description: 'S3 key prefix; may be empty.' });

/** At most 100,000 keys in one explicit list. */
export const MAX_KEYS = 100_000;

/**
 * A file name for the artifact (the last segment of its S3 key and the download name):
 * no path separators, no control characters, not `.` or `..`, at most 255 characters.
 */
export const FileName = Type.String({
  pattern: '^(?!\\.{1,2}$)[^/\\\\\\u0000-\\u001f\\u007f]{1,255}$',
  minLength: 1,
  maxLength: 255,
  description: 'File name of the artifact: no "/" or "\\", no control characters.',
});

export const HttpUrl = Type.String({ format: 'uri', maxLength: 2048, description: 'An http(s) URL.' });

export const Timestamp = Type.String({ format: 'date-time', maxLength: 64, description: 'RFC 3339 date-time.' });

export const Count = Type.Integer({ minimum: 0, description: 'A count (bytes or items), 0 or more.' });

export const Attempt = Type.Integer({ minimum: 1, maximum: 1000, description: '1 on the first try.' });

/** Where to send a signed webhook when the job ends (in addition to WEBHOOK_URL). */
export const Notify = Type.Object(
  { webhook: HttpUrl },
  { additionalProperties: false, description: 'A webhook to call when the job completes or fails.' },
);

export const OutputName = Type.Object(
  { name: FileName },
  { additionalProperties: false, description: 'Name of the artifact file.' },
);

/**
 * The claim check (claim-check.ts): a command too large for the bus's message limit is
 * sent with its big part (`source.keys`, `rows`) emptied and the whole validated request
 * stored as JSON at `requests/{jobId}.json` in ARTIFACTS_BUCKET. The worker reads it back,
 * checks `bytes` and `sha256`, and builds from it.
 */
export const RequestRef = Type.Object(
  {
    bucket: Bucket,
    key: objectKey('`requests/{jobId}.json`.'),
    bytes: Type.Integer({ minimum: 2, description: 'Size of the stored request in bytes.' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the stored request, lower-case hex.' }),
  },
  {
    additionalProperties: false,
    description:
      'The full request is stored in S3 (the command exceeded the bus message limit); `source.keys` or `rows` are empty in the command itself.',
  },
);
