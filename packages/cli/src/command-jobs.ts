/** `artifacts jobs [--status s] [--limit n]`: GET /v1/jobs, newest first. */
import { badInput } from '@artifact-pipeline/shared/errors';
import { apiClientFromEnv } from './api-client.js';
import { integerOption, stringOption, type CommandSpec, type ParsedArgs } from './cli-args.js';
import { ExitCode, printJson, printLine, type CliIo } from './cli-io.js';
import { summary } from './job-output.js';

const STATUSES = ['queued', 'processing', 'done', 'failed'];

export const jobsSpec: CommandSpec = {
  name: 'jobs',
  usage: 'artifacts jobs [--status queued|processing|done|failed] [--limit n] [--cursor c] [--json]',
  summary: "Lists your jobs, newest first (an admin token sees everyone's).",
  positionals: [0, 0],
  options: {
    status: { type: 'string', help: 'only jobs in this status' },
    limit: { type: 'string', help: 'at most this many (1-100, default the server\'s 20)' },
    cursor: { type: 'string', help: 'continue a listing (the nextCursor of the previous page)' },
  },
};

export async function runJobs(args: ParsedArgs, io: CliIo): Promise<number> {
  const status = stringOption(args, 'status');
  if (status !== undefined && !STATUSES.includes(status)) throw badInput(`--status: expected one of ${STATUSES.join(', ')}`);
  const limit = integerOption(args, 'limit', 100);
  const cursor = stringOption(args, 'cursor');
  const client = apiClientFromEnv(io.env, io.fetch);
  const page = await client.listJobs({
    ...(status !== undefined ? { status } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(cursor !== undefined ? { cursor } : {}),
  });
  if (args.json) {
    printJson(io, page);
    return ExitCode.ok;
  }
  if (page.items.length === 0) printLine(io, 'no jobs');
  for (const job of page.items) printLine(io, summary(client, job));
  if (page.nextCursor) printLine(io, `more: artifacts jobs --cursor ${page.nextCursor}`);
  return ExitCode.ok;
}
