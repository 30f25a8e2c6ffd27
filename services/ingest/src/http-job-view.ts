/**
 * The job as the API shows it (DESIGN §6 "The job"): the record with progress.percent and
 * links. The same shape status serves (services/status job-view.ts; the OpenAPI `Job` schema).
 */
import type { Job } from '@artifact-pipeline/shared';

export interface JobLinks {
  self: string;
  download: string;
  events: string;
}

export type JobView = Omit<Job, 'progress' | 'manifest'> & {
  progress: Job['progress'] & { percent: number };
  links: JobLinks;
};

/** Relative links, like `Location`: the ingress decides the host. */
export function jobLinks(id: string): JobLinks {
  const self = `/v1/jobs/${encodeURIComponent(id)}`;
  return { self, download: `${self}/download`, events: `${self}/events` };
}

export function toJobView(job: Job): JobView {
  const { manifest: _manifest, ...rest } = job;
  const { bytesDone, bytesTotal } = job.progress;
  const percent = job.status === 'done' ? 100 : bytesTotal > 0 ? Math.min(100, Math.floor((bytesDone / bytesTotal) * 100)) : 0;
  return { ...rest, progress: { ...job.progress, percent }, links: jobLinks(job.id) };
}
