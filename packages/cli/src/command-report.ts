/**
 * `artifacts report data.csv --format xlsx|pdf [--title t] [--name n] [--wait]`: uploads the
 * file through a presigned PUT from POST /v1/uploads (so it works against S3 and local mode
 * alike, the CLI never holding storage credentials), then POST /v1/reports with it as the
 * source. `.jsonl` / `.ndjson` files are read as JSON lines, anything else as CSV.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ErrorCode, PipelineError, badInput } from '@artifact-pipeline/shared/errors';
import { apiClientFromEnv } from './api-client.js';
import { stringOption, type CommandSpec, type ParsedArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { showAccepted } from './job-output.js';
import { columnsFromOptions } from './report-column-options.js';

export const reportSpec: CommandSpec = {
  name: 'report',
  usage:
    'artifacts report <data.csv|data.jsonl> --format xlsx|pdf [--title t] [--name n] [--columns file.json | --types name:number,when:date] [--on-error skip] [--wait] [--json]',
  summary: 'Uploads a CSV (header row first) or JSON-lines file and renders it as an XLSX or PDF report.',
  positionals: [1, 1],
  options: {
    format: { type: 'string', help: 'xlsx or pdf (default xlsx)' },
    title: { type: 'string', help: 'title on the report' },
    name: { type: 'string', help: 'file name of the report (default: the data file\'s name)' },
    columns: { type: 'string', help: 'a JSON file with the columns [{key, header, type?, format?, currency?}] (default: all, types inferred)' },
    types: { type: 'string', help: 'types of some columns, e.g. id:number,when:date,amount:currency:EUR; the rest inferred' },
    'on-error': { type: 'string', help: 'a row that does not parse: fail (default) or skip it and count it' },
    wait: { type: 'boolean', help: 'follow the job with a progress bar; exit 1 with the error code if it fails' },
  },
};

export async function runReport(args: ParsedArgs, io: CliIo): Promise<number> {
  const format = stringOption(args, 'format') ?? 'xlsx';
  if (format !== 'xlsx' && format !== 'pdf') throw badInput('--format: expected xlsx or pdf');
  const file = resolve(io.cwd, args.positionals[0] ?? '');
  const data = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw badInput(`cannot read ${file}: ${err.code ?? err.message}`);
  });
  const jsonLines = /\.(jsonl|ndjson)$/i.test(file);
  const onError = stringOption(args, 'on-error');
  if (onError !== undefined && onError !== 'fail' && onError !== 'skip') throw badInput('--on-error: expected fail or skip');
  const columns = await columnsFromOptions({ columnsFile: stringOption(args, 'columns'), types: stringOption(args, 'types'), data, jsonLines, cwd: io.cwd });
  const contentType = jsonLines ? 'application/x-ndjson' : 'text/csv';
  const client = apiClientFromEnv(io.env, io.fetch);

  const plan = await client.createUploads({ files: [{ name: basename(file), size: data.length, contentType }] });
  const upload = plan.files[0];
  if (!upload) throw new PipelineError('POST /v1/uploads answered no upload URL', { code: ErrorCode.INTERNAL, retriable: false });
  const put = await io.fetch(upload.url, { method: 'PUT', headers: upload.headers ?? { 'content-type': contentType }, body: data });
  if (!put.ok) {
    throw new PipelineError(`upload of ${basename(file)} failed: ${put.status} ${await put.text().catch(() => '')}`.trim(), {
      code: put.status === 403 ? ErrorCode.ACCESS_DENIED : ErrorCode.UNAVAILABLE,
      retriable: put.status >= 500,
    });
  }

  const title = stringOption(args, 'title');
  const name = stringOption(args, 'name') ?? basename(file).replace(/\.[^.]*$/, '');
  const job = await client.createReport({
    format,
    ...(title !== undefined ? { title } : {}),
    name,
    source: { bucket: plan.bucket, key: upload.key, format: jsonLines ? 'jsonl' : 'csv' },
    ...(columns ? { columns } : {}),
    ...(onError ? { onError } : {}),
  });
  return showAccepted(io, client, job, { json: args.json, wait: args.values.wait === true });
}
