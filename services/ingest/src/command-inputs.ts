/**
 * From validated HTTP bodies to command payloads (DESIGN §3): the bucket default and
 * allow-list, the artifact name and its extension, option defaults.
 */
import { ADMIN_SOURCE_ACCESS, ErrorCode, MAX_KEYS, PipelineError, type SourcePolicy } from '@artifact-pipeline/shared';
import type { AcceptCommand, ReportCommandData, ZipCommandData } from './accept-command.js';
import type { ReportBody, ZipJobBody } from './http-bodies.js';
import { IngestErrorCode } from './http-problems.js';
import { MAX_KEY_BYTES } from './http-bodies.js';
import { checkBytes, invalidFields, type FieldError } from './http-validate.js';

export interface SourceBuckets {
  /** ARTIFACTS_BUCKET: the default source, always allowed. */
  defaultBucket: string;
  /** ALLOWED_SOURCE_BUCKETS: the only other buckets a request may read. */
  allowed: readonly string[];
}

/** A file name's limit in bytes (most file systems: 255 bytes). */
const MAX_NAME_BYTES = 255;

export function resolveBucket(requested: string | undefined, buckets: SourceBuckets, path: string): string {
  const bucket = requested ?? buckets.defaultBucket;
  if (bucket === buckets.defaultBucket || buckets.allowed.includes(bucket)) return bucket;
  throw new PipelineError(`bucket ${bucket} is not allowed as a source (ALLOWED_SOURCE_BUCKETS)`, {
    code: IngestErrorCode.BUCKET_NOT_ALLOWED,
    retriable: false,
    context: { path, bucket },
  });
}

/**
 * Checks the command's source against the policy for its owner (SOURCE_FORBIDDEN,
 * BUCKET_NOT_ALLOWED) on every way in, and returns what the job record keeps of it: the
 * admin mark when only the admin scope allowed the read, which the workers look for before
 * they read (worker/source-check.ts).
 */
export function sourceAccessMark(policy: SourcePolicy, cmd: AcceptCommand): Record<string, string> {
  const source = cmd.payload.source;
  if (source === undefined) return {};
  const access = policy.check({ owner: cmd.owner, admin: cmd.admin === true }, source, cmd.sourcePath ?? 'source');
  return access === 'admin' ? { [ADMIN_SOURCE_ACCESS.field]: ADMIN_SOURCE_ACCESS.value } : {};
}

/** The name with `.ext` appended unless it already ends so (case-insensitive). */
export function withExtension(name: string, ext: string): string {
  return name.toLowerCase().endsWith(`.${ext}`) ? name : `${name}.${ext}`;
}

/** A `.` or `..` path segment: S3 keeps it literally, but it walks out of a folder in a ZIP or on disk. */
const DOT_SEGMENT = /(^|\/)\.{1,2}(\/|$)/;

/**
 * What can be refused at the door whatever way a command came in (HTTP, `/v1/events`, Kafka
 * inbound), paths relative to the command payload: `.` / `..` segments in the prefix, a key
 * or the report source key; a report with no rows and no columns (nothing to render).
 */
export function payloadProblems(cmd: { type: 'zip'; payload: ZipCommandData } | { type: 'report'; payload: ReportCommandData }): FieldError[] {
  const errors: FieldError[] = [];
  const segment = (path: string, value: string | undefined): void => {
    if (value !== undefined && DOT_SEGMENT.test(value)) errors.push({ path, message: 'must not have a "." or ".." path segment' });
  };
  if (cmd.type === 'zip') {
    const { source } = cmd.payload;
    if ('prefix' in source) segment('source.prefix', source.prefix);
    else source.keys.forEach((key, i) => segment(`source.keys[${i}]`, key));
    segment('source.marker', source.marker);
  } else {
    const { payload } = cmd;
    segment('source.key', payload.source?.key);
    if (payload.rows !== undefined && payload.rows.length === 0 && payload.columns.length === 0) {
      errors.push({ path: 'rows', message: 'is empty and no columns are given: the report would have nothing in it' });
    }
  }
  return errors.slice(0, 20);
}

/** payloadProblems as the HTTP routes answer them: 400 INVALID_INPUT naming each field. */
export function checkPayload(cmd: Parameters<typeof payloadProblems>[0]): void {
  const errors = payloadProblems(cmd);
  if (errors.length > 0) throw invalidFields(errors);
}

/** Checked before the schema: a list of a million keys should fail fast with a clear code. */
export function checkKeyCount(body: unknown): void {
  const keys = (body as { source?: { keys?: unknown } } | null)?.source?.keys;
  if (Array.isArray(keys) && keys.length > MAX_KEYS) {
    throw new PipelineError(`source.keys has ${keys.length} keys; at most ${MAX_KEYS} are allowed (use a prefix)`, {
      code: ErrorCode.TOO_MANY_KEYS,
      retriable: false,
      context: { path: 'source.keys', count: keys.length, max: MAX_KEYS },
    });
  }
}

export function zipCommandData(body: ZipJobBody, buckets: SourceBuckets): ZipCommandData {
  const { source } = body;
  const keys = 'keys' in source ? source.keys : [];
  checkBytes([
    ['name', body.name, MAX_NAME_BYTES],
    ...('prefix' in source ? [['source.prefix', source.prefix, MAX_KEY_BYTES] as [string, string, number]] : []),
    ...keys.map((k, i) => [`source.keys[${i}]`, k, MAX_KEY_BYTES] as [string, string, number]),
  ]);
  const bucket = resolveBucket(source.bucket, buckets, 'source.bucket');
  const from = 'keys' in source ? { bucket, keys: source.keys } : { bucket, prefix: source.prefix };
  const name = withExtension(body.name ?? defaultZipName('prefix' in source ? source.prefix : ''), 'zip');
  const payload: ZipCommandData = {
    source: from,
    output: { name },
    options: { compression: body.compression ?? 'auto', ...(body.includeManifest !== undefined ? { includeManifest: body.includeManifest } : {}) },
    ...(body.notify ? { notify: body.notify } : {}),
  };
  checkPayload({ type: 'zip', payload });
  return payload;
}

/** `inbox/team-a/batch1/` → `batch1.zip`; no usable segment → `archive.zip`. */
function defaultZipName(prefix: string): string {
  const last = prefix.split('/').filter(Boolean).pop();
  return last && last !== '.' && last !== '..' ? last : 'archive';
}

export function reportCommandData(body: ReportBody, buckets: SourceBuckets): ReportCommandData {
  if ((body.rows === undefined) === (body.source === undefined)) {
    throw new PipelineError('give exactly one of rows or source', {
      code: ErrorCode.INVALID_INPUT,
      retriable: false,
      context: { errors: [{ path: body.rows ? 'source' : 'rows', message: body.rows ? 'must not be given with rows' : 'rows or source is required' }] },
    });
  }
  checkBytes([['name', body.name, MAX_NAME_BYTES], ['source.key', body.source?.key, MAX_KEY_BYTES]]);
  const source = body.source
    ? { source: { bucket: resolveBucket(body.source.bucket, buckets, 'source.bucket'), key: body.source.key, format: body.source.format } }
    : {};
  const payload: ReportCommandData = {
    format: body.format,
    title: body.title ?? '',
    columns: body.columns ?? [],
    ...(body.rows ? { rows: body.rows } : {}),
    ...source,
    output: { name: withExtension(body.name ?? 'report', body.format) },
    ...(body.onError ? { onError: body.onError } : {}),
    ...(body.notify ? { notify: body.notify } : {}),
  };
  checkPayload({ type: 'report', payload });
  return payload;
}
