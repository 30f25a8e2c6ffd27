/**
 * The JSON the API answers, as the CLI reads it (docs/api.md, openapi.json). Only the
 * fields the CLI uses are typed; the rest passes through untouched to `--json` output.
 */
import type { JobError, JobOutput, JobProgress, JobStatus, JobType } from '@artifact-pipeline/shared';

export interface ApiJob {
  id: string;
  type: JobType;
  owner: string;
  status: JobStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** percent 0..100; rate in bytes/s and eta (ISO time) once the job has moved. */
  progress: JobProgress & { percent: number; rate?: number; eta?: string };
  output?: JobOutput;
  error?: JobError;
  links: { self: string; download: string; events: string };
}

export interface JobList {
  items: ApiJob[];
  nextCursor?: string | null;
}

export interface UploadPlan {
  bucket: string;
  batch: string;
  prefix: string;
  files: Array<{ name: string; key: string; method: 'PUT'; url: string; headers?: Record<string, string> }>;
  marker: { key: string; method: 'PUT'; url: string };
  expiresAt: string;
}

/** Done, or failed for good: nothing will change any more (status isFinal). */
export function isFinalJob(job: Pick<ApiJob, 'status'>): boolean {
  return job.status === 'done' || job.status === 'failed';
}
