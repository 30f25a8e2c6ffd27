/**
 * The job's manifest (DESIGN §7): what went into the archive, what was renamed and why,
 * what was skipped and why. Two forms:
 *
 * - `manifest.json` inside the ZIP (only when the request sets `includeManifest`): complete,
 *   every renamed and skipped key.
 * - `manifest` in job.completed: counts always, and the first 1,000 renamed and 1,000
 *   skipped entries (`renamedTotal` / `skippedTotal` say how many there were), so the
 *   event stays well under the bus's message limits (SQS 256 KiB) for any job.
 */
import type { ArchivePlan, RenamedKey } from './archive-plan.js';
import type { SkippedKey } from './source-listing.js';

/** Entries of each list carried in the event. */
export const EVENT_MANIFEST_ITEMS = 1_000;

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
    renamed: renamed.slice(0, EVENT_MANIFEST_ITEMS),
    renamedTotal: renamed.length,
    // The event schema allows 1,024 characters per key and reason.
    skipped: skipped.slice(0, EVENT_MANIFEST_ITEMS).map(({ key, reason }) => ({ key: key.slice(0, 1024), reason: reason.slice(0, 1024) })),
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
