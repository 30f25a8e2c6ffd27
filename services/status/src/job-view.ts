/**
 * The job as the API shows it (DESIGN §6): the stored record minus the store's bookkeeping
 * (attempt stays, it helps users read retries), progress with percent and ETA, and links.
 * `version` is kept: it is the SSE event id, so a client can resume from a polled state.
 */
import type { Job, JobError, JobOutput, JobProgress } from '@artifact-pipeline/shared';
import { estimateProgress } from './eta.js';

export interface JobView {
  id: string;
  type: Job['type'];
  owner: string;
  status: Job['status'];
  attempt: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  input: Record<string, unknown>;
  progress: JobProgress & { percent: number; rate?: number; eta?: string };
  output?: JobOutput;
  downloadUrl?: string;
  expiresAt?: string;
  error?: JobError;
  manifest?: unknown;
  notifications?: unknown;
  links: { self: string; download: string; events: string };
}

/** Relative links, as `Location` is (DESIGN §6): the ingress decides the host. */
export function jobLinks(id: string): JobView['links'] {
  const self = `/v1/jobs/${encodeURIComponent(id)}`;
  return { self, download: `${self}/download`, events: `${self}/events` };
}

export function toJobView(job: Job): JobView {
  const view: JobView = {
    id: job.id,
    type: job.type,
    owner: job.owner,
    status: job.status,
    attempt: job.attempt,
    version: job.version,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    input: job.input,
    progress: { ...job.progress, ...estimateProgress(job) },
    links: jobLinks(job.id),
  };
  const optional = ['startedAt', 'finishedAt', 'output', 'downloadUrl', 'expiresAt', 'error', 'manifest', 'notifications'] as const;
  for (const field of optional) {
    const value = (job as Job & { notifications?: unknown })[field];
    if (value !== undefined) (view as unknown as Record<string, unknown>)[field] = value;
  }
  return view;
}

/** Whether nothing will change any more: done, or failed for good. */
export function isFinal(job: Job): boolean {
  return job.status === 'done' || job.status === 'failed';
}
