/**
 * `artifacts download <id> [-o file]`: asks GET /v1/jobs/{id}/download for a fresh presigned
 * URL and streams the artifact to the file (default: the artifact's own name in the current
 * folder). Written to `<file>.part` and renamed when complete, so a broken download never
 * leaves a file that looks whole.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, PipelineError } from '@artifact-pipeline/shared/errors';
import { apiClientFromEnv } from './api-client.js';
import { stringOption, type CommandSpec, type ParsedArgs } from './cli-args.js';
import { ExitCode, printJson, printLine, type CliIo } from './cli-io.js';
import { formatBytes } from './progress-bar.js';

export const downloadSpec: CommandSpec = {
  name: 'download',
  usage: 'artifacts download <job-id> [-o file] [--json]',
  summary: 'Downloads the artifact of a done job.',
  positionals: [1, 1],
  options: {
    output: { type: 'string', short: 'o', help: "file to write (default: the artifact's name, in the current folder)" },
  },
};

export async function runDownload(args: ParsedArgs, io: CliIo): Promise<number> {
  const id = args.positionals[0] ?? '';
  const client = apiClientFromEnv(io.env, io.fetch);
  const job = await client.getJob(id);
  const url = await client.downloadUrl(id);
  const target = resolve(io.cwd, stringOption(args, 'output') ?? basename(job.output?.key ?? `${id}.bin`));
  const res = await io.fetch(url);
  if (!res.ok || !res.body) {
    throw new PipelineError(`download: the storage answered ${res.status} ${await res.text().catch(() => '')}`.trim(), {
      code: res.status === 403 ? ErrorCode.ACCESS_DENIED : ErrorCode.UNAVAILABLE,
      retriable: res.status >= 500,
    });
  }
  const partial = `${target}.part`;
  try {
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(partial));
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  const size = job.output?.size ?? 0;
  if (args.json) printJson(io, { id, file: target, size });
  else printLine(io, `saved ${target} (${formatBytes(size)})`);
  return ExitCode.ok;
}
