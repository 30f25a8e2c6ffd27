/**
 * SOURCE_GRANTS (docs/auth.md "Source access"): more areas non-admin owners may read, beyond
 * their own. A JSON array of `{"prefix", "bucket"?, "owners"?}`; `prefix` may use `{owner}`.
 * Also the check that keeps input rules off the pipeline's own prefixes: no rule may match,
 * and no zip rule may read, a key under INTERNAL_PREFIXES of ARTIFACTS_BUCKET.
 */
import { INTERNAL_PREFIXES, literalHead, overlapsPrefix, type SourceGrant } from '../source-policy.js';
import { BUCKET_NAME, type IngestRule } from './ingest-rules.js';

const FIELDS = ['prefix', 'bucket', 'owners'];
const OTHER_PLACEHOLDER = /\{(?!owner\})[^{}]*\}/;

function checkGrant(value: unknown, at: string, buckets: { artifacts: string; allowed: readonly string[] }, out: string[]): SourceGrant | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push(`${at}: expected an object {"prefix", "bucket", "owners"}`);
    return undefined;
  }
  const g = value as Record<string, unknown>;
  const before = out.length;
  for (const field of Object.keys(g)) if (!FIELDS.includes(field)) out.push(`${at}.${field}: not a field of a grant (prefix, bucket, owners)`);
  const { prefix, bucket, owners } = g;
  if (typeof prefix !== 'string') out.push(`${at}.prefix: expected a string ('' = the whole bucket)`);
  else {
    if (prefix !== '' && !prefix.endsWith('/')) out.push(`${at}.prefix: must end with / (got ${JSON.stringify(prefix)})`);
    if (prefix.split('/').some((s) => s === '.' || s === '..')) out.push(`${at}.prefix: must not have a . or .. segment`);
    if (OTHER_PLACEHOLDER.test(prefix)) out.push(`${at}.prefix: {owner} is the only placeholder a grant may use`);
  }
  if (bucket !== undefined) {
    if (typeof bucket !== 'string' || !BUCKET_NAME.test(bucket)) out.push(`${at}.bucket: expected an S3 bucket name (got ${JSON.stringify(bucket)})`);
    else if (bucket !== buckets.artifacts && !buckets.allowed.includes(bucket)) {
      out.push(`${at}.bucket: ${bucket} is neither ARTIFACTS_BUCKET nor in ALLOWED_SOURCE_BUCKETS`);
    }
  }
  if (owners !== undefined && (!Array.isArray(owners) || owners.length === 0 || owners.some((o) => typeof o !== 'string' || o === ''))) {
    out.push(`${at}.owners: expected a non-empty array of owner names`);
  }
  if (typeof prefix === 'string' && (bucket === undefined || bucket === buckets.artifacts)) {
    const internal = INTERNAL_PREFIXES.find((p) => overlapsPrefix(literalHead(prefix), p));
    if (internal !== undefined) out.push(`${at}.prefix: could reach ${internal} of ARTIFACTS_BUCKET, which is never a source (give another bucket)`);
  }
  return out.length === before ? (g as unknown as SourceGrant) : undefined;
}

/** Parses SOURCE_GRANTS; problems name the entry (`SOURCE_GRANTS[0].prefix: …`). Unset = no grants. */
export function parseSourceGrants(
  text: string | undefined,
  buckets: { artifacts: string; allowed: readonly string[] },
): { grants: SourceGrant[]; problems: string[] } {
  if (text === undefined) return { grants: [], problems: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { grants: [], problems: [`SOURCE_GRANTS: not JSON (${err instanceof Error ? err.message : String(err)})`] };
  }
  if (!Array.isArray(value)) return { grants: [], problems: ['SOURCE_GRANTS: expected a JSON array of grants'] };
  const problems: string[] = [];
  const grants = value.map((g, i) => checkGrant(g, `SOURCE_GRANTS[${i}]`, buckets, problems)).filter((g): g is SourceGrant => !!g);
  return { grants, problems };
}

/**
 * Problems of rules that could match (pattern) or read (a zip rule's source) a key under the
 * internal prefixes of ARTIFACTS_BUCKET; a rule bound to another bucket cannot.
 */
export function internalPrefixProblems(rules: readonly IngestRule[], artifactsBucket: string): string[] {
  const problems: string[] = [];
  rules.forEach((rule, i) => {
    if (rule.bucket !== undefined && rule.bucket !== artifactsBucket) return;
    const fields: Array<[string, string]> = [['pattern', rule.pattern], ...(rule.action === 'zip' ? [['source', rule.source] as [string, string]] : [])];
    for (const [field, template] of fields) {
      const internal = INTERNAL_PREFIXES.find((p) => overlapsPrefix(literalHead(template), p));
      if (internal !== undefined) {
        problems.push(`INGEST_RULES[${i}].${field}: could match keys under ${internal} of ARTIFACTS_BUCKET, where the pipeline writes (start it with another folder, or set "bucket")`);
      }
    }
  });
  return problems;
}
