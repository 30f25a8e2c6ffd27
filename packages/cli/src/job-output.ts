/**
 * How a job is shown and followed, shared by zip, report and status: one summary line, or
 * with --wait/--watch the progress bar from the SSE stream, then the download link (exit 0)
 * or the error code (exit 1). With --json: the job (final when following) as one document.
 */
import type { ApiClient } from './api-client.js';
import type { ApiJob } from './api-types.js';
import { ExitCode, printJson, printLine, type CliIo } from './cli-io.js';
import { createProgressBar, formatBytes } from './progress-bar.js';
import { watchJob } from './sse-client.js';

export function downloadLink(client: ApiClient, job: ApiJob): string {
  return client.resolve(job.links.download);
}

export function summary(client: ApiClient, job: ApiJob): string {
  const head = `${job.id}  ${job.type}  ${job.status}`;
  if (job.status === 'done') return `${head}  ${formatBytes(job.output?.size ?? 0)}  ${downloadLink(client, job)}`;
  if (job.status === 'failed') return `${head}  ${job.error?.code ?? 'FAILED'}: ${job.error?.message ?? ''}`;
  return `${head}  ${Math.round(job.progress.percent)}%`;
}

/** Exit code for a job's final state. */
export function exitCodeOf(job: ApiJob): number {
  return job.status === 'failed' ? ExitCode.failed : ExitCode.ok;
}

/** Prints a job's final state: the link when done, `error CODE: message` on stderr when failed. */
export function reportFinal(io: CliIo, client: ApiClient, job: ApiJob, json: boolean): number {
  if (json) printJson(io, { ...job, ...(job.status === 'done' ? { download: downloadLink(client, job) } : {}) });
  else if (job.status === 'done') printLine(io, `done: ${downloadLink(client, job)}`);
  else io.stderr.write(`error ${job.error?.code ?? 'FAILED'}: job ${job.id} failed: ${job.error?.message ?? 'no reason given'}\n`);
  return exitCodeOf(job);
}

/** Follows the job to its end through the events stream. */
export async function followJob(io: CliIo, client: ApiClient, job: ApiJob, json: boolean): Promise<number> {
  const bar = json ? undefined : createProgressBar({ stream: io.stdout });
  bar?.update(job);
  const final = await watchJob(client, job.id, { onJob: (j) => bar?.update(j) });
  bar?.done();
  return reportFinal(io, client, final, json);
}

/** The answer to a create request: followed with --wait, else its id and where to look. */
export async function showAccepted(io: CliIo, client: ApiClient, job: ApiJob, opts: { json: boolean; wait: boolean }): Promise<number> {
  if (opts.wait) {
    if (!opts.json) printLine(io, `job ${job.id} ${job.status}`);
    return followJob(io, client, job, opts.json);
  }
  if (opts.json) printJson(io, job);
  else printLine(io, `job ${job.id} ${job.status} (follow it: artifacts status ${job.id} --watch)`);
  return ExitCode.ok;
}
