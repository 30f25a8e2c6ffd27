/**
 * Local mode's one line per job: when it starts and when it finishes (with the download
 * link, or the error code). A JobStore decorator: every service of the process writes
 * through the same store, so each applied change passes here once, whatever the bus.
 */
import type { Job, JobStore } from '@artifact-pipeline/shared';
import { formatBytes } from './progress-bar.js';

/** The job's source as a user wrote it (the stored input is flat: bucket, prefix | keys | key). */
export function describeInput(job: Job): string {
  const input = job.input as { bucket?: string; prefix?: string; keys?: unknown[]; key?: string; format?: string };
  const bucket = input.bucket ?? '';
  if (input.prefix !== undefined) return `s3://${bucket}/${input.prefix}`;
  if (Array.isArray(input.keys)) return `${input.keys.length} keys of s3://${bucket}`;
  if (input.key !== undefined) return `s3://${bucket}/${input.key}${input.format ? ` → ${input.format}` : ''}`;
  return '';
}

export function announcingJobStore(jobs: JobStore, publicBaseUrl: string, print: (line: string) => void): JobStore {
  const started = new Set<string>();
  const finished = new Set<string>();
  const announce = (job: Job): void => {
    if (job.status === 'processing' && !started.has(job.id)) {
      started.add(job.id);
      print(`job ${job.id} ${job.type} started  owner=${job.owner}  ${describeInput(job)}`);
    } else if ((job.status === 'done' || job.status === 'failed') && !finished.has(job.id)) {
      finished.add(job.id);
      started.delete(job.id);
      if (job.status === 'done') {
        const size = formatBytes(job.output?.size ?? 0);
        print(`job ${job.id} ${job.type} done  ${size}  ${publicBaseUrl}/v1/jobs/${encodeURIComponent(job.id)}/download`);
      } else {
        print(`job ${job.id} ${job.type} failed  ${job.error?.code ?? 'FAILED'}: ${job.error?.message ?? ''}`);
      }
    }
  };
  return new Proxy(jobs, {
    get(target, prop, receiver) {
      if (prop === 'apply') {
        return async (...args: Parameters<JobStore['apply']>) => {
          const result = await target.apply(...args);
          if (result.applied && result.job) announce(result.job);
          return result;
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
