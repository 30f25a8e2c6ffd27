/**
 * INGEST_RULES matching (DESIGN §7, docs/ingest-rules.md): which rule an S3 object key
 * starts a job for, and the values of the pattern's named segments.
 *
 * - `{name}` in a pattern matches one whole or partial path segment: one or more characters,
 *   never '/' (so `inbox/{owner}/{batch}/_READY` does not match `inbox/a/b/c/_READY`);
 * - everything else in the pattern is literal (regex characters included), matched against
 *   the whole decoded key, case-sensitively (S3 keys are case-sensitive);
 * - a segment value of `.` or `..` never matches: it would make prefixes and file names that
 *   mean something else on a file system;
 * - a rule with `bucket` matches objects of that bucket only; without, any bucket;
 * - the first matching rule wins (rules are tried in INGEST_RULES order).
 *
 * Pure: no I/O, no clock. config/ingest-rules.ts already checked the rules' shape.
 */
import { placeholdersOf, type IngestRule } from '@artifact-pipeline/shared';

export interface RuleMatch {
  rule: IngestRule;
  /** Position of the rule in INGEST_RULES (for logs and the `artifact.ingest.rule` span attribute). */
  index: number;
  /** The values of the pattern's named segments, e.g. {owner: 'team-a', batch: 'batch1'}. */
  segments: Readonly<Record<string, string>>;
}

/** Finds the first rule matching an object; undefined when none does. */
export type RuleMatcher = (bucket: string, key: string) => RuleMatch | undefined;

const PLACEHOLDER = /\{([^{}]*)\}/g;
/** One path segment's worth of characters, at least one. */
const SEGMENT = '([^/]+)';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `inbox/{owner}/{batch}/_READY` → /^inbox\/([^/]+)\/([^/]+)\/_READY$/ and [owner, batch]. */
export function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  const names = placeholdersOf(pattern);
  const literals = pattern.split(PLACEHOLDER).filter((_, i) => i % 2 === 0);
  const source = literals.map(escapeRegExp).join(SEGMENT);
  return { regex: new RegExp(`^${source}$`, 'u'), names };
}

/** Compiles the rules once; the matcher is then a few regex tests per key. */
export function createRuleMatcher(rules: readonly IngestRule[]): RuleMatcher {
  const compiled = rules.map((rule, index) => ({ rule, index, ...compilePattern(rule.pattern) }));
  return (bucket, key) => {
    for (const { rule, index, regex, names } of compiled) {
      if (rule.bucket !== undefined && rule.bucket !== bucket) continue;
      const found = regex.exec(key);
      if (!found) continue;
      const values = found.slice(1);
      if (values.some((v) => v === '.' || v === '..')) continue;
      const segments: Record<string, string> = {};
      names.forEach((name, i) => (segments[name] = values[i] ?? ''));
      return { rule, index, segments: Object.freeze(segments) };
    }
    return undefined;
  };
}

/**
 * Fills a `source` or `name` template with segment values: `{batch}.zip` → `batch1.zip`.
 * Unknown names cannot occur (parseIngestRules refuses them); they are left as written.
 */
export function fillTemplate(template: string, segments: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => segments[name] ?? whole);
}
