/**
 * The job's manifest (DESIGN §7): what went into the archive, what was renamed and why,
 * what was skipped and why. Two forms:
 *
 * - `manifest.json` inside the ZIP (only when the request sets `includeManifest`): complete,
 *   every renamed and skipped key.
 * - `manifest` in job.completed: counts always, and the first renamed and skipped entries
 *   — at most 1,000 of each and at most 48 KiB of JSON each (keys may be 1,024 bytes long) —
 *   with `renamedTotal` / `skippedTotal` saying how many there were, so the event (and the
 *   webhook made from it) stays well under the bus's message limits (SQS 256 KiB) for any job.
 */
import type { ArchivePlan, RenamedKey } from './archive-plan.js';
import type { SkippedKey } from './source-listing.js';

/** Entries of each list carried in the event. */
export const EVENT_MANIFEST_ITEMS = 1_000;
/** JSON bytes of each list carried in the event. */
export const EVENT_MANIFEST_LIST_BYTES = 48 * 1024;

/** The first items whose JSON fits in `maxBytes` (and at most `maxItems` of them). */
function firstWithin<T>(items: readonly T[], maxItems: number, maxBytes: number): T[] {
  const kept: T[] = [];
  let bytes = 2;
  for (const item of items) {
    if (kept.length >= maxItems) break;
    bytes += Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
    if (bytes > maxBytes) break;
    kept.push(item);
  }
  return kept;
}

export interface ManifestFacts {
  jobId: string;
  source: Record<string, unknown>;
  /** Entries written, folders included, the manifest itself not. */
  included: number;
  renamed: RenamedKey[];
  skipped: SkippedKey[];
}

export interface EventManifest {
  included: number;
  renamed: RenamedKey[];
  renamedTotal: number;
  skipped: SkippedKey[];
  skippedTotal: number;
}

export function manifestForEvent({ included, renamed, skipped }: ManifestFacts): EventManifest {
  return {
    included,
    renamed: firstWithin(renamed, EVENT_MANIFEST_ITEMS, EVENT_MANIFEST_LIST_BYTES),
    renamedTotal: renamed.length,
    // The event schema allows 1,024 characters per key and reason.
    skipped: firstWithin(
      skipped.slice(0, EVENT_MANIFEST_ITEMS).map(({ key, reason }) => ({ key: key.slice(0, 1024), reason: reason.slice(0, 1024) })),
      EVENT_MANIFEST_ITEMS,
      EVENT_MANIFEST_LIST_BYTES,
    ),
    skippedTotal: skipped.length,
  };
}

/** The bytes of manifest.json: pretty JSON, UTF-8. */
export function manifestDocument(facts: ManifestFacts): Buffer {
  const document = {
    jobId: facts.jobId,
    source: facts.source,
    included: facts.included,
    renamed: facts.renamed,
    skipped: facts.skipped,
  };
  return Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
}

/** The keys the manifest reports as skipped after planning (gone by the time they were read). */
export function skippedSoFar(plan: ArchivePlan, missing: readonly SkippedKey[]): SkippedKey[] {
  return [...plan.skipped, ...missing];
}
