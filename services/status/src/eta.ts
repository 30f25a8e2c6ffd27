/**
 * Progress percent and ETA (DESIGN §6 progress). Pure functions of the job record, so every
 * replica and every poll of the same version answers the same.
 *
 * The rate is the one observed over the current attempt: bytesDone / (updatedAt − startedAt).
 * Bytes lead when their total is known; items stand in when only they are (reports), and
 * the percent is 0 while nothing is known — a total of 0 means "not known yet" (events.md).
 */
import type { Job } from '@artifact-pipeline/shared';

export interface ProgressEstimate {
  /** 0..100, one decimal; 100 once done. */
  percent: number;
  /** Units per second over the current attempt (bytes, or items when bytes are unknown). */
  rate?: number;
  /** ISO 8601: when the job should finish at the observed rate; only while processing. */
  eta?: string;
}

/** Shorter than this, in ms, the rate is noise (one progress event right after the start). */
const MIN_OBSERVED_MS = 200;

export function estimateProgress(job: Job): ProgressEstimate {
  if (job.status === 'done') return { percent: 100 };
  const { bytesDone, bytesTotal, itemsDone, itemsTotal } = job.progress;
  const [done, total] = bytesTotal > 0 ? [bytesDone, bytesTotal] : [itemsDone, itemsTotal];
  if (total <= 0) return { percent: 0 };
  const percent = Math.min(100, Math.floor((done / total) * 1000) / 10);
  if (job.status !== 'processing' || job.startedAt === undefined || done <= 0) return { percent };
  const started = Date.parse(job.startedAt);
  const observed = Date.parse(job.updatedAt) - started;
  if (!Number.isFinite(observed) || observed < MIN_OBSERVED_MS) return { percent };
  const rate = done / (observed / 1000);
  const remainingMs = (Math.max(0, total - done) / rate) * 1000;
  return {
    percent,
    rate: Math.round(rate * 10) / 10,
    eta: new Date(Date.parse(job.updatedAt) + Math.round(remainingMs)).toISOString(),
  };
}
