/**
 * INGEST_RULES (DESIGN §7): which new S3 objects start which job. Each rule's `pattern`
 * names key segments (`inbox/{owner}/{batch}/_READY`); `source` and `name` reuse them.
 * Here the rules are only checked for shape; ingest does the matching.
 */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface ZipRule {
  pattern: string;
  action: 'zip';
  /** Prefix to ZIP, from the pattern's segments, e.g. `inbox/{owner}/{batch}/`. */
  source: string;
  /** Artifact file name, e.g. `{batch}.zip`. */
  name: string;
  /** Only objects of this bucket match; default: the bucket of the notification. */
  bucket?: string;
}

export interface ReportRule {
  pattern: string;
  action: 'report';
  format: 'xlsx' | 'pdf';
  name: string;
  bucket?: string;
}

export type IngestRule = ZipRule | ReportRule;

export const DEFAULT_INGEST_RULES: readonly IngestRule[] = [
  { pattern: 'inbox/{owner}/{batch}/_READY', action: 'zip', source: 'inbox/{owner}/{batch}/', name: '{batch}.zip' },
  { pattern: 'reports/{owner}/{name}.csv', action: 'report', format: 'xlsx', name: '{name}.xlsx' },
];

const PLACEHOLDER = /\{([^{}]*)\}/g;
const SEGMENT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const FIELDS: Record<IngestRule['action'], readonly string[]> = {
  zip: ['pattern', 'action', 'source', 'name', 'bucket'],
  report: ['pattern', 'action', 'format', 'name', 'bucket'],
};

/** The segment names a template uses, in order: `{owner}/{batch}` → owner, batch. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

function checkTemplate(at: string, field: string, template: unknown, known: Set<string> | undefined, out: string[]): void {
  if (typeof template !== 'string' || template.trim() === '') {
    out.push(`${at}.${field}: expected a non-empty string`);
    return;
  }
  if (template.replace(PLACEHOLDER, '').match(/[{}]/)) out.push(`${at}.${field}: unbalanced { or }`);
  for (const name of placeholdersOf(template)) {
    if (!SEGMENT_NAME.test(name)) out.push(`${at}.${field}: {${name}} is not a valid segment name`);
    else if (known && !known.has(name)) out.push(`${at}.${field}: {${name}} is not a segment of the pattern`);
  }
}

function checkRule(rule: unknown, index: number, out: string[]): IngestRule | undefined {
  const at = `INGEST_RULES[${index}]`;
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    out.push(`${at}: expected an object`);
    return undefined;
  }
  const r = rule as Record<string, unknown>;
  const before = out.length;
  if (r.action !== 'zip' && r.action !== 'report') {
    out.push(`${at}.action: expected "zip" or "report" (got ${JSON.stringify(r.action) ?? 'nothing'})`);
    return undefined;
  }
  for (const field of Object.keys(r)) {
    if (!FIELDS[r.action].includes(field)) out.push(`${at}.${field}: not a field of a ${r.action} rule`);
  }
  checkTemplate(at, 'pattern', r.pattern, undefined, out);
  const segments = typeof r.pattern === 'string' ? placeholdersOf(r.pattern) : [];
  if (typeof r.pattern === 'string') {
    if (!segments.includes('owner')) out.push(`${at}.pattern: must name the {owner} segment (every job has an owner)`);
    const repeated = segments.filter((s, i) => segments.indexOf(s) !== i);
    if (repeated.length > 0) out.push(`${at}.pattern: segment {${repeated[0]}} is named twice`);
  }
  const known = new Set(segments);
  checkTemplate(at, 'name', r.name, known, out);
  if (r.action === 'zip') checkTemplate(at, 'source', r.source, known, out);
  if (r.action === 'report' && r.format !== 'xlsx' && r.format !== 'pdf') {
    out.push(`${at}.format: expected "xlsx" or "pdf" for a report rule (got ${JSON.stringify(r.format) ?? 'nothing'})`);
  }
  if (r.bucket !== undefined && (typeof r.bucket !== 'string' || !BUCKET_NAME.test(r.bucket))) {
    out.push(`${at}.bucket: expected an S3 bucket name (got ${JSON.stringify(r.bucket)})`);
  }
  return out.length === before ? (r as unknown as IngestRule) : undefined;
}

/**
 * Parses the INGEST_RULES JSON; problems name the rule index (`INGEST_RULES[1].source: …`).
 * Returns the defaults when `text` is undefined.
 */
export function parseIngestRules(text: string | undefined): { rules: IngestRule[]; problems: string[] } {
  if (text === undefined) return { rules: DEFAULT_INGEST_RULES.map((rule) => ({ ...rule })), problems: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { rules: [], problems: [`INGEST_RULES: not JSON (${err instanceof Error ? err.message : String(err)})`] };
  }
  if (!Array.isArray(value)) return { rules: [], problems: ['INGEST_RULES: expected a JSON array of rules'] };
  const problems: string[] = [];
  const rules = value.map((rule, index) => checkRule(rule, index, problems)).filter((r): r is IngestRule => !!r);
  return { rules, problems };
}
