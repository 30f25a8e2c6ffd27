/**
 * Request bodies of ingest's HTTP commands (DESIGN §6), as TypeBox schemas: one
 * definition gives the validator, the TypeScript type and the OpenAPI schema. Every object
 * is closed (`additionalProperties: false`): an unknown field is a 400, not silently dropped.
 */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_KEYS } from '@artifact-pipeline/shared';

const strict = { additionalProperties: false } as const;

/** No C0 controls or DEL anywhere, no leading '/' (S3 keys are relative to the bucket). */
const KEY_PATTERN = '^(?!/)[^\\u0000-\\u001f\\u007f]*$';
/** Byte length (1,024 bytes of UTF-8) is checked after the schema: JSON Schema counts characters. */
export const MAX_KEY_BYTES = 1024;
/** File names: no '/', '\\' or control characters, not '.' or '..'; 255 bytes checked after. */
const NAME_PATTERN = '^(?!\\.{1,2}$)[^/\\\\\\u0000-\\u001f\\u007f]+$';

const Bucket = Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', description: 'Default ARTIFACTS_BUCKET; others only if in ALLOWED_SOURCE_BUCKETS.' });
const Prefix = Type.String({ maxLength: MAX_KEY_BYTES, pattern: KEY_PATTERN, description: 'Key prefix; every object under it, sub-folders included.' });
const Key = Type.String({ minLength: 1, maxLength: MAX_KEY_BYTES, pattern: KEY_PATTERN });
const Name = Type.String({ minLength: 1, maxLength: 255, pattern: NAME_PATTERN });
const Notify = Type.Object({ webhook: Type.String({ format: 'uri', maxLength: 2048 }) }, strict);

export const ZipJobBody = Type.Object(
  {
    source: Type.Union([
      Type.Object({ bucket: Type.Optional(Bucket), prefix: Prefix }, { ...strict, title: 'prefix source' }),
      Type.Object({ bucket: Type.Optional(Bucket), keys: Type.Array(Key, { minItems: 1, maxItems: MAX_KEYS }) }, { ...strict, title: 'key list source' }),
    ]),
    name: Type.Optional(Name),
    compression: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('store'), Type.Literal('deflate')])),
    includeManifest: Type.Optional(Type.Boolean()),
    notify: Type.Optional(Notify),
  },
  strict,
);
export type ZipJobBody = Static<typeof ZipJobBody>;

const Column = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 256 }),
    header: Type.String({ maxLength: 256 }),
    type: Type.Optional(
      Type.Union([Type.Literal('string'), Type.Literal('number'), Type.Literal('date'), Type.Literal('boolean'), Type.Literal('currency')]),
    ),
    width: Type.Optional(Type.Number({ minimum: 1, maximum: 255 })),
    format: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  },
  strict,
);

export const ReportBody = Type.Object(
  {
    format: Type.Union([Type.Literal('xlsx'), Type.Literal('pdf')]),
    title: Type.Optional(Type.String({ maxLength: 256 })),
    columns: Type.Optional(Type.Array(Column, { maxItems: 1024 })),
    rows: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 100_000 })),
    source: Type.Optional(
      Type.Object({ bucket: Type.Optional(Bucket), key: Key, format: Type.Union([Type.Literal('csv'), Type.Literal('jsonl')]) }, strict),
    ),
    name: Type.Optional(Name),
    onError: Type.Optional(Type.Union([Type.Literal('fail'), Type.Literal('skip')])),
    notify: Type.Optional(Notify),
  },
  strict,
);
export type ReportBody = Static<typeof ReportBody>;

/** At most this many files per POST /v1/uploads. */
export const MAX_UPLOAD_FILES = 1000;

export const UploadsBody = Type.Object(
  {
    files: Type.Array(
      Type.Object(
        {
          name: Name,
          size: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 * 1024 ** 4 })),
          contentType: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+/[\\x20-\\x7e]+$' })),
        },
        strict,
      ),
      { minItems: 1, maxItems: MAX_UPLOAD_FILES },
    ),
    batch: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' })),
  },
  strict,
);
export type UploadsBody = Static<typeof UploadsBody>;

export const TokenBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 256 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  strict,
);
export type TokenBody = Static<typeof TokenBody>;

/**
 * Body limits, in bytes. zip-jobs: 100,000 keys of 1,024 bytes would be ~100 MB — more than
 * a request should hold in memory — so 16 MiB: 100,000 keys averaging ~160 bytes fit; longer
 * lists go as a prefix (or several jobs). reports: 10 MiB of inline rows (larger data goes
 * as a CSV / JSON-lines `source` in S3).
 */
export const BODY_LIMITS = Object.freeze({
  zipJobs: 16 * 1024 * 1024,
  reports: 10 * 1024 * 1024,
  uploads: 1024 * 1024,
  token: 8 * 1024,
});
