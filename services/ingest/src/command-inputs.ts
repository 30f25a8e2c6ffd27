/**
 * From validated HTTP bodies to command payloads (DESIGN §3): the bucket default and
 * allow-list, the artifact name and its extension, option defaults.
 */
import { ADMIN_SOURCE_ACCESS, ErrorCode, MAX_KEYS, PipelineError, type SourcePolicy } from '@artifact-pipeline/shared';
import type { AcceptCommand, ReportCommandData, ZipCommandData } from './accept-command.js';
import type { ReportBody, ZipJobBody } from './http-bodies.js';
import { IngestErrorCode } from './http-problems.js';
import { MAX_KEY_BYTES } from './http-bodies.js';
import { checkBytes } from './http-validate.js';

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
  return {
    source: from,
    output: { name },
    options: { compression: body.compression ?? 'auto', ...(body.includeManifest !== undefined ? { includeManifest: body.includeManifest } : {}) },
    ...(body.notify ? { notify: body.notify } : {}),
  };
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
  return {
    format: body.format,
    title: body.title ?? '',
    columns: body.columns ?? [],
    ...(body.rows ? { rows: body.rows } : {}),
    ...source,
    output: { name: withExtension(body.name ?? 'report', body.format) },
    ...(body.onError ? { onError: body.onError } : {}),
    ...(body.notify ? { notify: body.notify } : {}),
  };
}
