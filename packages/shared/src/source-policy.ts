/**
 * Who may read which source objects (docs/auth.md "Source access"): checked by ingest on
 * every way in, and again by the workers before their first request to S3.
 *
 * - A bucket must be ARTIFACTS_BUCKET or in ALLOWED_SOURCE_BUCKETS (BUCKET_NOT_ALLOWED),
 *   for everyone, admins included.
 * - A non-admin reads only the areas granted to its owner: the default areas
 *   (`inbox/{owner}/`, `reports/{owner}/`, `videos/{owner}/`), the area each ingest rule's
 *   pattern gives the owner it names (the key up to the `{owner}` segment), and the
 *   SOURCE_GRANTS entries for that owner (or for every owner). A prefix must start with an
 *   area (so it cannot list past it: `inbox/alice` would also list `inbox/alice2/`); a key
 *   list is checked key by key.
 * - The internal prefixes of ARTIFACTS_BUCKET (outputs, the status journal, stored requests,
 *   webhook dead letters) are never readable by a non-admin, whatever is granted.
 * - A `.` or `..` segment is refused for everyone: S3 keeps it literally, but a file-system
 *   store or an HTTP stack that normalises paths would step out of the area.
 *
 * Admins read any allowed bucket. Refusals are SOURCE_FORBIDDEN, never retriable, and name
 * the field and the prefix or key.
 */
import { ErrorCode, PipelineError } from './errors.js';
import type { IngestRule } from './config/ingest-rules.js';

/**
 * Prefixes of ARTIFACTS_BUCKET that hold what the pipeline writes: artifacts (output-key.ts),
 * the status journal, stored requests and webhook dead letters. No non-admin source may
 * name them, and no ingest rule may match keys under them.
 */
export const INTERNAL_PREFIXES: readonly string[] = Object.freeze(['outputs/', 'journal/', 'requests/', 'webhook-dlq/']);

/** The areas every owner may read in every allowed bucket. */
export const DEFAULT_SOURCE_AREAS: readonly string[] = Object.freeze(['inbox/{owner}/', 'reports/{owner}/', 'videos/{owner}/']);

/** One SOURCE_GRANTS entry. */
export interface SourceGrant {
  /** Key prefix, may use `{owner}`; '' = the whole bucket. */
  prefix: string;
  /** Default: every allowed bucket. */
  bucket?: string;
  /** Default: every owner. */
  owners?: readonly string[];
}

export interface SourcePolicyOptions {
  artifactsBucket: string;
  allowedBuckets: readonly string[];
  rules?: readonly IngestRule[];
  grants?: readonly SourceGrant[];
}

/** Who reads: the job's owner, and whether the request came with the admin scope. */
export interface SourceReader {
  owner: string;
  admin: boolean;
}

export type SourceRef = { bucket: string; prefix: string } | { bucket: string; keys: readonly string[] } | { bucket: string; key: string };

/** How a read was allowed: within the owner's areas, or only through the admin scope. */
export type SourceAccess = 'owner' | 'admin';

export interface SourcePolicy {
  /** Throws BUCKET_NOT_ALLOWED. */
  checkBucket(bucket: string, path: string): void;
  /** Throws BUCKET_NOT_ALLOWED or SOURCE_FORBIDDEN; `path` names the source field (`source`, `data.source`). */
  check(reader: SourceReader, source: SourceRef, path: string): SourceAccess;
  /** The areas `owner` may read, as `bucket:prefix` (`*:` = every allowed bucket), for messages and docs. */
  areasOf(owner: string): string[];
}

interface Area {
  bucket: string | undefined;
  /** Template with `{owner}`; other `{name}` segments stand for any one path segment. */
  template: string;
  owners: readonly string[] | undefined;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * The area a rule's pattern gives its owner: the pattern up to and including the `{owner}`
 * segment (`inbox/{owner}/{batch}/_READY` → `inbox/{owner}/`). Undefined when `{owner}` is
 * only part of a segment (`drop/{owner}-{batch}/…`): grant such areas in SOURCE_GRANTS.
 */
export function ruleArea(pattern: string): string | undefined {
  const at = pattern.indexOf('{owner}');
  if (at < 0) return undefined;
  const end = at + '{owner}'.length;
  const wholeSegment = (at === 0 || pattern[at - 1] === '/') && pattern[end] === '/';
  return wholeSegment ? pattern.slice(0, end + 1) : undefined;
}

/** Whether a listing of `prefix` could return keys under `internal` (either contains the other). */
export function overlapsPrefix(prefix: string, internal: string): boolean {
  return prefix.startsWith(internal) || internal.startsWith(prefix);
}

/** The text before the first `{` of a template: every key it can make starts so. */
export function literalHead(template: string): string {
  const brace = template.indexOf('{');
  return brace < 0 ? template : template.slice(0, brace);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An owner that could not stand for one path segment gets no `{owner}` area. */
function usableOwner(owner: string): boolean {
  return owner !== '' && owner !== '.' && owner !== '..' && !owner.includes('/');
}

/** `inbox/{owner}/` for alice → /^inbox\/alice\//; other placeholders match one segment. */
function areaRegex(template: string, owner: string): RegExp {
  const parts = template.split(PLACEHOLDER);
  const source = parts.map((part, i) => (i % 2 === 0 ? escapeRegExp(part) : part === 'owner' ? escapeRegExp(owner) : '[^/]+')).join('');
  return new RegExp(`^${source}`, 'u');
}

function hasDotSegment(path: string): boolean {
  return path.split('/').some((s) => s === '.' || s === '..');
}

function forbidden(message: string, context: Record<string, unknown>): PipelineError {
  return new PipelineError(message, { code: ErrorCode.SOURCE_FORBIDDEN, retriable: false, context });
}

export function createSourcePolicy(options: SourcePolicyOptions): SourcePolicy {
  const { artifactsBucket, allowedBuckets } = options;
  const areas: Area[] = [
    ...DEFAULT_SOURCE_AREAS.map((template) => ({ bucket: undefined, template, owners: undefined })),
    ...(options.rules ?? []).flatMap((rule) => {
      const template = ruleArea(rule.pattern);
      return template === undefined ? [] : [{ bucket: rule.bucket, template, owners: undefined }];
    }),
    ...(options.grants ?? []).map((g) => ({ bucket: g.bucket, template: g.prefix, owners: g.owners })),
  ];

  const checkBucket = (bucket: string, path: string): void => {
    if (bucket === artifactsBucket || allowedBuckets.includes(bucket)) return;
    throw new PipelineError(`${path}: bucket ${bucket} is not allowed as a source (ARTIFACTS_BUCKET or ALLOWED_SOURCE_BUCKETS)`, {
      code: ErrorCode.BUCKET_NOT_ALLOWED,
      retriable: false,
      context: { path, bucket },
    });
  };

  const areasFor = (owner: string, bucket: string): RegExp[] =>
    areas
      .filter((a) => (a.bucket === undefined || a.bucket === bucket) && (a.owners === undefined || a.owners.includes(owner)))
      .filter((a) => usableOwner(owner) || !a.template.includes('{owner}'))
      .map((a) => areaRegex(a.template, owner));

  const areasOf = (owner: string): string[] => [
    ...new Set(
      areas
        .filter((a) => (a.owners === undefined || a.owners.includes(owner)) && (usableOwner(owner) || !a.template.includes('{owner}')))
        .map((a) => `${a.bucket ?? '*'}:${a.template.replaceAll('{owner}', owner)}`),
    ),
  ];

  return {
    checkBucket,
    areasOf,
    check(reader, source, path) {
      const { bucket } = source;
      checkBucket(bucket, `${path}.bucket`);
      const items: Array<[string, string, 'prefix' | 'key']> =
        'prefix' in source ? [[`${path}.prefix`, source.prefix, 'prefix']]
        : 'keys' in source ? source.keys.map((k, i) => [`${path}.keys[${i}]`, k, 'key'] as [string, string, 'key'])
        : [[`${path}.key`, source.key, 'key']];
      const mine = areasFor(reader.owner, bucket);
      let access: SourceAccess = 'owner';
      for (const [field, value, kind] of items) {
        const context = { path: field, bucket, [kind]: value, owner: reader.owner };
        if (hasDotSegment(value)) throw forbidden(`${field}: ${value} has a "." or ".." segment; name the ${kind} without it`, context);
        const internal = bucket === artifactsBucket ? INTERNAL_PREFIXES.find((p) => (kind === 'prefix' ? overlapsPrefix(value, p) : value.startsWith(p))) : undefined;
        const own = internal === undefined && mine.some((area) => area.test(value));
        if (own) continue;
        if (reader.admin) {
          access = 'admin';
          continue;
        }
        if (internal !== undefined) {
          throw forbidden(`${field}: ${value === '' ? 'the whole bucket' : value} reaches ${internal} of ${bucket}, which holds the pipeline's own objects and is no source`, context);
        }
        const allowed = areasOf(reader.owner).filter((a) => a.startsWith('*:') || a.startsWith(`${bucket}:`)).map((a) => a.slice(a.indexOf(':') + 1));
        throw forbidden(
          `${field}: ${value === '' ? 'the whole bucket' : value} in ${bucket} is outside what owner ${reader.owner} may read (${allowed.join(', ') || 'nothing'})`,
          { ...context, ...(items.length > 1 ? { keyCount: items.length } : {}) },
        );
      }
      return access;
    },
  };
}

/** The policy a service's configuration describes; rules default to none, grants to none. */
export function sourcePolicyOf(config: {
  s3: { artifactsBucket: string; allowedSourceBuckets: readonly string[] };
  ingest?: { rules: readonly IngestRule[] };
  sources?: { grants: readonly SourceGrant[] };
}): SourcePolicy {
  return createSourcePolicy({
    artifactsBucket: config.s3.artifactsBucket,
    allowedBuckets: config.s3.allowedSourceBuckets,
    rules: config.ingest?.rules ?? [],
    grants: config.sources?.grants ?? [],
  });
}

/** The mark ingest puts in a job's `input` when only the admin scope allowed its source. */
export const ADMIN_SOURCE_ACCESS = Object.freeze({ field: 'sourceAccess', value: 'admin' } as const);
