/** `artifacts zip s3://bucket/prefix/ [--keys file] [--name n] [--wait]`: POST /v1/zip-jobs. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { badInput } from '@artifact-pipeline/shared/errors';
import { apiClientFromEnv } from './api-client.js';
import { stringOption, type CommandSpec, type ParsedArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { showAccepted } from './job-output.js';

export const zipSpec: CommandSpec = {
  name: 'zip',
  usage: 'artifacts zip s3://bucket/prefix/ [--keys file] [--name name.zip] [--wait] [--json]',
  summary:
    'Zips every object under the prefix (or, with --keys, the listed keys of the bucket) into one ZIP.\n' +
    'The bucket must be ARTIFACTS_BUCKET or in ALLOWED_SOURCE_BUCKETS of the server, and the prefix\n' +
    "one the token's owner may read (inbox/OWNER/, reports/OWNER/, videos/OWNER/, SOURCE_GRANTS) unless it is an admin.",
  positionals: [1, 1],
  options: {
    keys: { type: 'string', help: 'file with one object key per line, relative to the prefix in the URL (s3://bucket/ for whole keys; blank lines skipped)' },
    name: { type: 'string', help: 'name of the ZIP (default: the last segment of the prefix + .zip)' },
    wait: { type: 'boolean', help: 'follow the job with a progress bar; exit 1 with the error code if it fails' },
  },
};

/** `s3://bucket/some/prefix/` → bucket and prefix ('' for the whole bucket). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match?.[1]) throw badInput(`expected s3://bucket/prefix/, got ${JSON.stringify(url)}`);
  return { bucket: match[1], prefix: match[2] ?? '' };
}

export async function readKeyList(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw badInput(`--keys: cannot read ${file}: ${err.code ?? err.message}`);
  });
  const keys = text.split(/\r?\n/).map((k) => k.trim()).filter((k) => k !== '');
  if (keys.length === 0) throw badInput(`--keys ${file}: no keys in the file`);
  return keys;
}

export async function runZip(args: ParsedArgs, io: CliIo): Promise<number> {
  const { bucket, prefix } = parseS3Url(args.positionals[0] ?? '');
  const keysFile = stringOption(args, 'keys');
  const name = stringOption(args, 'name');
  let source: Record<string, unknown>;
  if (keysFile !== undefined) {
    // the prefix, if any, is put in front of each listed key
    const keys = (await readKeyList(resolve(io.cwd, keysFile))).map((k) => `${prefix}${k}`);
    source = { bucket, keys };
  } else {
    source = { bucket, prefix };
  }
  const client = apiClientFromEnv(io.env, io.fetch);
  const job = await client.createZipJob({ source, ...(name !== undefined ? { name } : {}) });
  return showAccepted(io, client, job, { json: args.json, wait: args.values.wait === true });
}
