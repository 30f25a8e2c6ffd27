/**
 * Where a job's artifact goes (DESIGN §7): `outputs/{zips|reports}/{yyyy}/{mm}/{dd}/{jobId}/{name}`
 * in ARTIFACTS_BUCKET. `outputs/` is one of the internal prefixes (source-policy.ts): no
 * non-admin job can read it and no ingest rule can match it, so an artifact never becomes
 * another owner's source nor starts a job of its own.
 *
 * The date is the job's creation time — the `time` of the command event, which every
 * redelivery carries unchanged — in UTC, so a retry writes the same key and overwrites
 * instead of duplicating.
 */

/** The top folder of each kind of artifact. */
export type ArtifactFolder = 'zips' | 'reports';

/** The prefix every artifact key starts with (one of INTERNAL_PREFIXES). */
export const OUTPUTS_PREFIX = 'outputs/';

/** `outputs/{folder}/{yyyy}/{mm}/{dd}/{jobId}/`: everything one job writes lives under it. */
export function jobOutputPrefix(folder: ArtifactFolder, createdAt: Date, jobId: string): string {
  if (Number.isNaN(createdAt.getTime())) throw new RangeError('the job creation time is not a valid date');
  const yyyy = String(createdAt.getUTCFullYear()).padStart(4, '0');
  const mm = String(createdAt.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(createdAt.getUTCDate()).padStart(2, '0');
  return `${OUTPUTS_PREFIX}${folder}/${yyyy}/${mm}/${dd}/${jobId}/`;
}

export function jobOutputKey(folder: ArtifactFolder, createdAt: Date, jobId: string, name: string): string {
  return `${jobOutputPrefix(folder, createdAt, jobId)}${name}`;
}
