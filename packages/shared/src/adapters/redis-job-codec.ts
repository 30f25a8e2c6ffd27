/**
 * Key names of the Redis read model (DESIGN §5) and the conversion between the `ap:job:{id}`
 * hash (every value a string; objects as JSON) and the Job the port returns.
 */
import { ErrorCode, PipelineError } from '../errors.js';
import type { JobRecord } from '../job-transition.js';
import type { Job, JobChange } from '../ports/job-store.js';

export interface JobKeys {
  /** Prefix of every job hash; `jobPrefix + id` is the hash. */
  jobPrefix: string;
  job(id: string): string;
  ownerJobs(owner: string): string;
  allJobs: string;
  idempotency(owner: string, key: string): string;
  seen(marker: string): string;
  changes(id: string): string;
  lease(name: string): string;
}

/** Owners are escaped inside keys where a key follows them, so `a:b`+`c` ≠ `a`+`b:c`. */
function escapeOwner(owner: string): string {
  return owner.replace(/%/g, '%25').replace(/:/g, '%3A');
}

export function jobKeys(keyPrefix = ''): JobKeys {
  const p = `${keyPrefix}ap:`;
  return {
    jobPrefix: `${p}job:`,
    job: (id) => `${p}job:${id}`,
    ownerJobs: (owner) => `${p}owner:${escapeOwner(owner)}:jobs`,
    allJobs: `${p}jobs`,
    idempotency: (owner, key) => `${p}idem:${escapeOwner(owner)}:${key}`,
    seen: (marker) => `${p}s3seen:${marker}`,
    changes: (id) => `${p}job:${id}:changes`,
    lease: (name) => `${p}lease:${name}`,
  };
}

/** The hash of a new record, as HSET field/value pairs. */
export function recordToFields(record: JobRecord): string[] {
  const { job } = record;
  return [
    'id', job.id,
    'type', job.type,
    'owner', job.owner,
    'status', job.status,
    'attempt', String(job.attempt),
    'phase', String(record.phase),
    'startedAttempt', String(record.startedAttempt),
    'version', String(job.version),
    'createdAt', job.createdAt,
    'updatedAt', job.updatedAt,
    'input', JSON.stringify(job.input),
    'progress', JSON.stringify(job.progress),
  ];
}

/** HGETALL's flat reply as an object. */
export function flatToHash(flat: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return hash;
}

/** The job a hash holds; INTERNAL when a required field is missing (not written by us). */
export function hashToJob(hash: Record<string, string>): Job {
  const need = (field: string): string => {
    const value = hash[field];
    if (value === undefined) {
      throw new PipelineError(`job hash lacks ${field}`, {
        code: ErrorCode.INTERNAL,
        retriable: false,
        context: { jobId: hash.id, field },
      });
    }
    return value;
  };
  const job: Job = {
    id: need('id'),
    type: need('type') as Job['type'],
    owner: need('owner'),
    status: need('status') as Job['status'],
    attempt: Number(need('attempt')),
    progress: JSON.parse(need('progress')) as Job['progress'],
    createdAt: need('createdAt'),
    updatedAt: need('updatedAt'),
    input: JSON.parse(need('input')) as Job['input'],
    version: Number(need('version')),
  };
  if (hash.startedAt !== undefined) job.startedAt = hash.startedAt;
  if (hash.finishedAt !== undefined) job.finishedAt = hash.finishedAt;
  if (hash.output !== undefined) job.output = JSON.parse(hash.output) as Job['output'];
  if (hash.downloadUrl !== undefined) job.downloadUrl = hash.downloadUrl;
  if (hash.expiresAt !== undefined) job.expiresAt = hash.expiresAt;
  if (hash.error !== undefined) job.error = JSON.parse(hash.error) as Job['error'];
  if (hash.manifest !== undefined) job.manifest = JSON.parse(hash.manifest) as unknown;
  if (hash.notifications !== undefined) job.notifications = JSON.parse(hash.notifications) as Job['notifications'];
  return job;
}

/** The kind-specific arguments of a change in APPLY_CHANGES (see redis-apply-script.ts). */
export function changeArgs(change: JobChange): string[] {
  switch (change.kind) {
    case 'started':
      return [];
    case 'progressed': {
      const { bytesDone, bytesTotal, itemsDone, itemsTotal } = change.progress;
      const progress = JSON.stringify({ bytesDone, bytesTotal, itemsDone, itemsTotal });
      return [progress, String(bytesDone), String(itemsDone)];
    }
    case 'failed': {
      const { code, message, retriable } = change.error;
      return [JSON.stringify({ code, message, retriable }), change.final ? '1' : '0'];
    }
    case 'completed': {
      const { bucket, key, size, contentType } = change.output;
      const manifest = change.manifest === undefined ? '' : JSON.stringify(change.manifest);
      return [JSON.stringify({ bucket, key, size, contentType }), change.downloadUrl, change.expiresAt, manifest];
    }
  }
}
