/** `artifacts status <id> [--watch]`: GET /v1/jobs/{id}, or follow it through its events. */
import { apiClientFromEnv } from './api-client.js';
import { isFinalJob } from './api-types.js';
import type { CommandSpec, ParsedArgs } from './cli-args.js';
import { ExitCode, printJson, printLine, type CliIo } from './cli-io.js';
import { exitCodeOf, followJob, reportFinal, summary } from './job-output.js';

export const statusSpec: CommandSpec = {
  name: 'status',
  usage: 'artifacts status <job-id> [--watch] [--json]',
  summary: 'Shows one job. Exit code 1 when the job failed.',
  positionals: [1, 1],
  options: {
    watch: { type: 'boolean', help: 'follow the job with a progress bar until it is done or failed' },
  },
};

export async function runStatus(args: ParsedArgs, io: CliIo): Promise<number> {
  const client = apiClientFromEnv(io.env, io.fetch);
  const job = await client.getJob(args.positionals[0] ?? '');
  if (args.values.watch === true) {
    return isFinalJob(job) ? reportFinal(io, client, job, args.json) : followJob(io, client, job, args.json);
  }
  if (args.json) printJson(io, job);
  else printLine(io, summary(client, job));
  return job.status === 'failed' ? exitCodeOf(job) : ExitCode.ok;
}
