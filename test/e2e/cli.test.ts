/**
 * The `artifacts` CLI against local mode: each command as a separate process
 * talking to the HTTP API of one `artifacts dev` process. `zip … --wait` exits 0 and prints
 * the link; a failing job (a prefix with no files) exits 1 naming the error code; `--json`
 * output parses; `download` writes the ZIP; `--help` answers.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniqueName } from '../harness/support.js';
import { readWithPython } from '../interop/zip-tools.js';
import { runCli, startLocal, type LocalProcess } from './local-mode-support.js';

interface Ctx {
  local?: LocalProcess;
  scratch?: string;
  /** s3://artifacts/<prefix>/ holding two files. */
  prefix?: string;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const EXPECTED = [
  { name: 'a.txt', size: 6, sha256: sha('alpha\n') },
  { name: 'b.txt', size: 5, sha256: sha('beta\n') },
];

/** Name, size and SHA-256 of each file entry, as Python's zipfile reads them. */
async function entriesOf(zipFile: string): Promise<typeof EXPECTED> {
  const entries = await readWithPython(zipFile, 20_000);
  return entries.filter((e) => !e.directory).map(({ name, size, sha256 }) => ({ name, size, sha256 })).sort((a, b) => a.name.localeCompare(b.name));
}

const cli = suite<Ctx>('artifacts CLI against local mode');

cli.before(async (ctx) => {
  ctx.local = await startLocal();
  ctx.scratch = await mkdtemp(path.join(tmpdir(), 'ap-cli-'));
  ctx.prefix = `${uniqueName('docs')}/`;
  const folder = path.join(ctx.local.dataDir, 'artifacts', ctx.prefix);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'a.txt'), 'alpha\n');
  await writeFile(path.join(folder, 'b.txt'), 'beta\n');
});

cli.after(async (ctx) => {
  await ctx.local?.stop();
  if (ctx.scratch) await rm(ctx.scratch, { recursive: true, force: true });
});

cli('zip --wait exits 0 and prints the download link, which serves the ZIP', async (ctx) => {
  const { url } = ctx.local!;
  const run = await runCli(url, ['zip', `s3://artifacts/${ctx.prefix}`, '--wait']);
  assert.is(run.code, 0, run.stderr);
  const link = /done: (\S+)/.exec(run.stdout)?.[1];
  assert.ok(link, `no link in: ${run.stdout}`);
  assert.match(link, new RegExp(`^${url}/v1/jobs/[0-9a-f-]+/download$`));
  const res = await fetch(link);
  assert.is(res.status, 200);
  const file = path.join(ctx.scratch!, 'linked.zip');
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  assert.equal(await entriesOf(file), EXPECTED);
});

cli('a job that fails exits 1 with its error code', async (ctx) => {
  const run = await runCli(ctx.local!.url, ['zip', `s3://artifacts/${uniqueName('empty')}/`, '--wait']);
  assert.is(run.code, 1);
  assert.match(run.stderr, /^error SOURCE_EMPTY: /m);
});

cli('--json output parses: zip --wait, status, jobs', async (ctx) => {
  const { url } = ctx.local!;
  const zip = await runCli(url, ['zip', `s3://artifacts/${ctx.prefix}`, '--name', 'named.zip', '--wait', '--json']);
  assert.is(zip.code, 0, zip.stderr);
  const job = JSON.parse(zip.stdout) as { id: string; status: string; download: string; output: { key: string; size: number } };
  assert.is(job.status, 'done');
  assert.ok(job.output.key.endsWith('/named.zip'));
  assert.is(job.download, `${url}/v1/jobs/${job.id}/download`);

  const status = await runCli(url, ['status', job.id, '--json']);
  assert.is(status.code, 0, status.stderr);
  assert.is((JSON.parse(status.stdout) as { id: string }).id, job.id);

  const jobs = await runCli(url, ['jobs', '--status', 'done', '--limit', '50', '--json']);
  assert.is(jobs.code, 0, jobs.stderr);
  const page = JSON.parse(jobs.stdout) as { items: Array<{ id: string; status: string }> };
  assert.ok(page.items.some((j) => j.id === job.id));
  assert.ok(page.items.every((j) => j.status === 'done'));

  const failed = await runCli(url, ['zip', `s3://artifacts/${uniqueName('empty')}/`, '--wait', '--json']);
  assert.is(failed.code, 1);
  assert.is((JSON.parse(failed.stdout) as { error: { code: string } }).error.code, 'SOURCE_EMPTY');
});

cli('download -o writes the artifact; status of a failed job exits 1', async (ctx) => {
  const { url } = ctx.local!;
  const zip = await runCli(url, ['zip', `s3://artifacts/${ctx.prefix}`, '--json']);
  const { id } = JSON.parse(zip.stdout) as { id: string };
  const watched = await runCli(url, ['status', id, '--watch']);
  assert.is(watched.code, 0, watched.stderr);
  const file = path.join(ctx.scratch!, 'out.zip');
  const download = await runCli(url, ['download', id, '-o', file]);
  assert.is(download.code, 0, download.stderr);
  assert.equal(await entriesOf(file), EXPECTED);

  const empty = await runCli(url, ['zip', `s3://artifacts/${uniqueName('empty')}/`, '--json']);
  const failedId = (JSON.parse(empty.stdout) as { id: string }).id;
  const status = await runCli(url, ['status', failedId, '--watch']);
  assert.is(status.code, 1);
  assert.match(status.stderr, /error SOURCE_EMPTY/);
});

cli('usage errors exit 2; --help exits 0', async (ctx) => {
  const { url } = ctx.local!;
  const bad = await runCli(url, ['zip', 'not-an-s3-url']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /INVALID_INPUT/);
  const unknown = await runCli(url, ['zip', 's3://artifacts/x/', '--frobnicate']);
  assert.is(unknown.code, 2);
  // every command's help is checked in process by packages/cli/src/cli-args.test.ts
  const help = await runCli(url, ['report', '--help']);
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: artifacts report/);
});

cli('a bad configuration stops `artifacts dev` with one line per problem, naming each variable', async (ctx) => {
  const { url } = ctx.local!;
  const bad = await runCli(url, ['dev'], { PORT: '80a', MAX_ATTEMPTS: '0', LOCAL_DATA_DIR: ctx.scratch! });
  assert.is(bad.code, 1, bad.stderr);
  assert.equal(bad.stderr.trimEnd().split('\n'), [
    'error INVALID_CONFIG: PORT: expected a whole number from 0 to 65535 (got "80a")',
    'error INVALID_CONFIG: MAX_ATTEMPTS: expected a whole number from 1 to 100 (got "0")',
  ]);
  const json = await runCli(url, ['dev', '--json'], { PORT: '80a' });
  assert.is(json.stdout.trimEnd().split('\n').length, 1, 'one line, as dev --json writes its stream');
  const { error } = JSON.parse(json.stdout) as { error: { code: string; problems: string[] } };
  assert.is(error.code, 'INVALID_CONFIG');
  assert.equal(error.problems, ['PORT: expected a whole number from 0 to 65535 (got "80a")']);
});

cli.run();
