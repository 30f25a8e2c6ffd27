/**
 * Local mode's one line per job: when it starts and when it finishes (with the download
 * link, or the error code). A JobStore decorator: every service of the process writes
 * through the same store, so each applied change passes here once, whatever the bus.
 */
import type { Job, JobStore } from '@artifact-pipeline/shared';
import { formatBytes } from './progress-bar.js';

/**
 * The job's source as a user wrote it, from the stored input summary (ingest's
 * command-summary.ts): zip `{bucket, prefix | keyCount, name}`, report `{format, source:
 * {bucket, key, format} | rowCount, name}`.
 */
export function describeInput(job: Job): string {
  const input = job.input as {
    bucket?: string; prefix?: string; keyCount?: number; format?: string; rowCount?: number; name?: string;
    source?: { bucket?: string; key?: string; format?: string };
  };
  const into = input.name ? ` → ${input.name}` : '';
  if (input.prefix !== undefined) return `s3://${input.bucket ?? ''}/${input.prefix}${into}`;
  if (input.keyCount !== undefined) return `${input.keyCount} keys of s3://${input.bucket ?? ''}${into}`;
  if (input.source?.key !== undefined) return `s3://${input.source.bucket ?? ''}/${input.source.key}${into}`;
  if (input.rowCount !== undefined) return `${input.rowCount} inline rows${into}`;
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
