/**
 * The transition rules of the job read model (DESIGN §5, ports/job-store.ts header), as
 * pure functions. The memory store runs them directly; the Redis store runs the same rules
 * in Lua (adapters/redis-apply-script.ts) — change both together: the Redis contract test
 * replays random change sequences through both and compares the records.
 *
 * A change applies when (attempt, phase, bytesDone, itemsDone) is ahead of what the job has
 * seen and the job is not final. The attempt only moves forward, and progress is monotonic
 * per attempt: a `progressed` of a later attempt applies whatever its bytesDone (a retry
 * after a crash starts below the dead run's high-water mark), one of an earlier attempt
 * never does. That needs each progressed change to name its attempt: the job worker puts
 * `attempt` in job.progressed (an extra field, events.md). Phases: queued 0, started 1 < progressed 2 < failed (not
 * final) 3 < completed | failed (final) 4. bytesDone/itemsDone only order progressed changes
 * of one attempt; itemsDone breaks ties so that progress over empty files still shows.
 *
 * What an applied change does:
 * - started → processing; a new attempt starts its done counts from 0 (totals stay).
 * - progressed → processing, progress replaced.
 * - failed, not final → stays processing with the error; final → failed, finishedAt.
 * - completed → done with output, link, manifest, finishedAt; progress filled to the totals.
 * - any change but failed clears the error of an earlier attempt; version + 1; updatedAt
 *   becomes `now` unless it already shows a later time.
 * `startedAt` is the earliest `started.at` of the current attempt: a `started` arriving
 * after later changes of its own attempt still records it (and counts as applied), so the
 * record does not depend on delivery order.
 */
import { badInput } from './errors.js';
import { normalizeTime } from './job-store-input.js';
import type { Job, JobChange, JobProgress, JobStatus, NewJob } from './ports/job-store.js';

export type JobPhase = 0 | 1 | 2 | 3 | 4;

/** A job with the ordering facts the store keeps beside it (hash fields phase, startedAttempt). */
export interface JobRecord {
  job: Job;
  phase: JobPhase;
  /** The attempt whose `started` set `startedAt`; 0 when none has. */
  startedAttempt: number;
}

const STATUSES: readonly JobStatus[] = ['queued', 'processing', 'done', 'failed'];

export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** done, or failed for good: nothing applies any more. */
export function isFinalStatus(status: JobStatus): boolean {
  return status === 'done' || status === 'failed';
}

export function changePhase(change: JobChange): JobPhase {
  switch (change.kind) {
    case 'started':
      return 1;
    case 'progressed':
      return 2;
    case 'failed':
      return change.final ? 4 : 3;
    case 'completed':
      return 4;
  }
}

/** The `queued` record of a new job. `now` is ISO 8601. */
export function queuedRecord(job: NewJob, now: string): JobRecord {
  for (const field of ['id', 'owner'] as const) {
    if (typeof job[field] !== 'string' || job[field].length === 0) throw badInput(`job.${field} is required`);
  }
  if (job.type !== 'zip' && job.type !== 'report') throw badInput('job.type must be zip or report');
  const createdAt = normalizeTime(job.createdAt ?? now, 'createdAt');
  return {
    job: {
      id: job.id,
      type: job.type,
      owner: job.owner,
      status: 'queued',
      attempt: 0,
      progress: { bytesDone: 0, bytesTotal: 0, itemsDone: 0, itemsTotal: 0 },
      createdAt,
      updatedAt: createdAt,
      input: job.input,
      version: 1,
    },
    phase: 0,
    startedAttempt: 0,
  };
}

/** Whether `change` is ahead of `record` in (attempt, phase, bytesDone, itemsDone). */
export function isAhead(record: JobRecord, change: JobChange): boolean {
  const { job } = record;
  if (change.attempt !== job.attempt) return change.attempt > job.attempt;
  const phase = changePhase(change);
  if (phase !== record.phase) return phase > record.phase;
  if (change.kind !== 'progressed') return false;
  if (change.progress.bytesDone !== job.progress.bytesDone) {
    return change.progress.bytesDone > job.progress.bytesDone;
  }
  return change.progress.itemsDone > job.progress.itemsDone;
}

/**
 * The record after `change`, or undefined when the change does not apply (behind, a
 * duplicate, or the job is final). `now` (ISO 8601; the stores pass the change's own `at`)
 * becomes updatedAt unless the record already shows a later time, so updatedAt never goes
 * backwards across skewed clocks.
 */
export function applyChange(record: JobRecord, change: JobChange, now: string): JobRecord | undefined {
  if (isFinalStatus(record.job.status)) return undefined;
  const next = isAhead(record, change) ? advance(record, change) : restamp(record, change);
  if (next === undefined) return undefined;
  const job = next.job;
  job.version = record.job.version + 1;
  job.updatedAt = now > record.job.updatedAt ? now : record.job.updatedAt;
  return next;
}

function advance(record: JobRecord, change: JobChange): JobRecord {
  const prev = record.job;
  const job: Job = { ...prev, attempt: change.attempt };
  const next: JobRecord = { job, phase: changePhase(change), startedAttempt: record.startedAttempt };
  const newAttempt = change.attempt > prev.attempt;
  if (change.kind !== 'failed') delete job.error;
  switch (change.kind) {
    case 'started':
      job.status = 'processing';
      // A new attempt starts from zero; the totals describe the same input, so they stay.
      if (newAttempt) job.progress = { ...prev.progress, bytesDone: 0, itemsDone: 0 };
      recordStart(next, change.attempt, change.at);
      break;
    case 'progressed':
      job.status = 'processing';
      job.progress = pickProgress(change.progress);
      break;
    case 'failed':
      job.error = { code: change.error.code, message: change.error.message, retriable: change.error.retriable };
      if (change.final) {
        job.status = 'failed';
        job.finishedAt = change.at;
      } else {
        job.status = 'processing';
      }
      break;
    case 'completed':
      job.status = 'done';
      job.progress = completeProgress(prev.progress);
      job.output = {
        bucket: change.output.bucket,
        key: change.output.key,
        size: change.output.size,
        contentType: change.output.contentType,
      };
      job.downloadUrl = change.downloadUrl;
      job.expiresAt = change.expiresAt;
      if (change.manifest === undefined) delete job.manifest;
      else job.manifest = change.manifest;
      job.finishedAt = change.at;
      break;
  }
  return next;
}

/** A `started` behind later changes of its own attempt only records when the attempt began. */
function restamp(record: JobRecord, change: JobChange): JobRecord | undefined {
  if (change.kind !== 'started' || change.attempt !== record.job.attempt) return undefined;
  const earlier = record.job.startedAt === undefined || change.at < record.job.startedAt;
  if (record.startedAttempt === change.attempt && !earlier) return undefined;
  const next: JobRecord = { job: { ...record.job }, phase: record.phase, startedAttempt: record.startedAttempt };
  recordStart(next, change.attempt, change.at);
  return next;
}

function recordStart(record: JobRecord, attempt: number, at: string): void {
  const { job } = record;
  if (record.startedAttempt !== attempt || job.startedAt === undefined || at < job.startedAt) {
    job.startedAt = at;
  }
  record.startedAttempt = attempt;
}

function pickProgress(p: JobProgress): JobProgress {
  return { bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, itemsDone: p.itemsDone, itemsTotal: p.itemsTotal };
}

/** A finished job has done all its work, whether or not the last progress event arrived. */
export function completeProgress(p: JobProgress): JobProgress {
  const bytes = Math.max(p.bytesDone, p.bytesTotal);
  const items = Math.max(p.itemsDone, p.itemsTotal);
  return { bytesDone: bytes, bytesTotal: bytes, itemsDone: items, itemsTotal: items };
}
