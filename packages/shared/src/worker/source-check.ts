/**
 * The workers' own check of a command's source (source-policy.ts), before any request to
 * S3 for it: a command put straight on the bus is held to the same policy as one ingest
 * accepted, so it cannot read another owner's objects or a bucket that is no source.
 *
 * The command carries its owner but not the caller's scope (anyone who can publish could
 * claim it). Ingest records `input.sourceAccess: "admin"` on the job when a read was allowed
 * only by the admin scope; the worker trusts that record in the job store, not the command.
 */
import type { JobStore } from '../ports/job-store.js';
import { ADMIN_SOURCE_ACCESS, type SourcePolicy, type SourceRef } from '../source-policy.js';

export interface SourceCheckDeps {
  policy: SourcePolicy;
  jobs: Pick<JobStore, 'get'>;
}

/** Throws BUCKET_NOT_ALLOWED or SOURCE_FORBIDDEN (not retriable) unless the job may read `source`. */
export async function checkCommandSource(deps: SourceCheckDeps, data: { jobId: string; owner: string; source?: SourceRef | undefined }): Promise<void> {
  const { source } = data;
  if (source === undefined) return;
  try {
    deps.policy.check({ owner: data.owner, admin: false }, source, 'source');
  } catch (refusal) {
    deps.policy.checkBucket(source.bucket, 'source.bucket');
    const job = await deps.jobs.get(data.jobId);
    const admitted = job !== undefined && job.owner === data.owner && job.input[ADMIN_SOURCE_ACCESS.field] === ADMIN_SOURCE_ACCESS.value;
    if (!admitted) throw refusal;
    deps.policy.check({ owner: data.owner, admin: true }, source, 'source');
  }
}
