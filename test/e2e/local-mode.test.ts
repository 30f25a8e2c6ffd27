/**
 * Local mode end to end, as a new user meets it: `artifacts dev` as a child
 * process, a folder with files dropped into ./data/artifacts/inbox/<owner>/<batch>/, then
 * `_READY`. The job shows up done through the HTTP API, its download link serves a ZIP whose
 * entries (read by Python's zipfile) are the dropped files, named relative to the batch
 * folder, with exactly the bytes dropped (the marker left out), and the process printed
 * a line when the job started and one with the link when it finished.
 *
 * A report request (POST /v1/reports, inline rows) in the same process becomes an XLSX that
 * openpyxl opens with the values and types sent.
 *
 * With AUTH_MODE=none (every request is an admin) the server is bound to 127.0.0.1: the
 * bound address it prints is loopback, and a connection to the port on the machine's
 * non-loopback IPv4 addresses is refused. With AUTH_MODE=jwt it listens on every interface.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { hashPassword } from '@artifact-pipeline/shared/http/auth-users';
import { openpyxlFull } from '../interop/xlsx-tools.js';
import { readWithPython } from '../interop/zip-tools.js';
import { uniqueName, waitFor } from '../harness/support.js';
import { startLocal, type LocalProcess } from './local-mode-support.js';

interface Ctx {
  local?: LocalProcess;
  scratch?: string;
}

interface ApiJob {
  id: string;
  status: string;
  input: { prefix?: string };
  error?: { code: string };
  links: { download: string };
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const dropFolder = suite<Ctx>('local mode: a dropped folder with _READY');

dropFolder.before(async (ctx) => {
  ctx.local = await startLocal();
  ctx.scratch = await mkdtemp(path.join(tmpdir(), 'ap-local-zip-'));
});

dropFolder.after(async (ctx) => {
  await ctx.local?.stop();
  if (ctx.scratch) await rm(ctx.scratch, { recursive: true, force: true });
});

dropFolder('becomes a done zip job whose download holds the dropped bytes', async (ctx) => {
  const local = ctx.local!;
  const batch = uniqueName('batch');
  const folder = path.join(local.dataDir, 'artifacts', 'inbox', 'alice', batch);
  const files: Record<string, Buffer> = {
    'notes.txt': Buffer.from('hello from local mode\n'),
    'sub/data.bin': randomBytes(200_000),
    'sub/deeper/ünïcode name.csv': Buffer.from('a,b\n1,2\n'),
  };
  for (const [name, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
    await writeFile(path.join(folder, name), data);
  }
  await writeFile(path.join(folder, '_READY'), '');

  const prefix = `inbox/alice/${batch}/`;
  const job = await waitFor(async () => {
    const res = await fetch(`${local.url}/v1/jobs?limit=100`);
    const { items } = (await res.json()) as { items: ApiJob[] };
    const found = items.find((j) => j.input.prefix === prefix);
    return found && (found.status === 'done' || found.status === 'failed') ? found : undefined;
  }, `the job for ${prefix} finishes`, { timeoutMs: 30_000, intervalMs: 200 });
  assert.is(job.status, 'done', `job failed: ${JSON.stringify(job.error)}`);

  const download = await fetch(new URL(job.links.download, local.url));
  assert.is(download.status, 200);
  assert.is(download.headers.get('content-type'), 'application/zip');
  const zipFile = path.join(ctx.scratch!, `${batch}.zip`);
  await writeFile(zipFile, Buffer.from(await download.arrayBuffer()));
  const entries = (await readWithPython(zipFile, 20_000)).filter((e) => !e.directory);
  const expected = Object.entries(files).map(([name, data]) => ({ name, size: data.length, sha256: sha256(data) }));
  const got = entries.map((e) => ({ name: e.name, size: e.size, sha256: e.sha256 }));
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  assert.equal(got.sort(byName), expected.sort(byName));

  const lines = local.output().split('\n');
  assert.ok(lines.some((l) => l.includes(job.id) && l.includes('started')), 'a line when the job started');
  assert.ok(
    lines.some((l) => l.includes(job.id) && l.includes('done') && l.includes(`${local.url}/v1/jobs/${job.id}/download`)),
    'a line with the download link when it finished',
  );
  assert.ok(local.output().includes('AUTH_MODE=none'), 'AUTH_MODE=none is announced');
});

dropFolder.run();

const report = suite<Ctx>('local mode: a report request');

report.before(async (ctx) => {
  ctx.local = await startLocal();
  ctx.scratch = await mkdtemp(path.join(tmpdir(), 'ap-local-report-'));
});

report.after(async (ctx) => {
  await ctx.local?.stop();
  if (ctx.scratch) await rm(ctx.scratch, { recursive: true, force: true });
});

report('renders inline rows into an XLSX that openpyxl reads back', async (ctx) => {
  const local = ctx.local!;
  const posted = await fetch(`${local.url}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      format: 'xlsx',
      title: 'Visitors',
      name: 'visitors.xlsx',
      columns: [
        { key: 'city', header: 'City' },
        { key: 'visitors', header: 'Visitors', type: 'number' },
        { key: 'day', header: 'Day', type: 'date' },
      ],
      rows: [
        { city: 'Lisbon', visitors: 1200, day: '2026-11-30' },
        { city: 'Łódź', visitors: '800', day: '2026-12-01' },
      ],
    }),
  });
  assert.is(posted.status, 202, await posted.clone().text());
  const { id } = (await posted.json()) as { id: string };
  const job = await waitFor(async () => {
    const found = (await (await fetch(`${local.url}/v1/jobs/${id}`)).json()) as ApiJob;
    return found.status === 'done' || found.status === 'failed' ? found : undefined;
  }, `report job ${id} finishes`, { timeoutMs: 30_000, intervalMs: 200 });
  assert.is(job.status, 'done', `job failed: ${JSON.stringify(job.error)}`);

  const download = await fetch(new URL(job.links.download, local.url));
  assert.is(download.status, 200);
  assert.is(download.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const file = path.join(ctx.scratch!, 'visitors.xlsx');
  await writeFile(file, Buffer.from(await download.arrayBuffer()));
  const { sheets } = await openpyxlFull(file, 20_000);
  assert.equal(sheets.map((sheet) => [sheet.title, sheet.rows]), [[
    'Visitors',
    [
      [['City', 'str'], ['Visitors', 'str'], ['Day', 'str']],
      [['Lisbon', 'str'], [1200, 'int'], ['2026-11-30T00:00:00', 'datetime']],
      [['Łódź', 'str'], [800, 'int'], ['2026-12-01T00:00:00', 'datetime']],
    ],
  ]]);
});

report.run();

const login = suite<{ local?: LocalProcess; dir?: string }>('local mode: AUTH_USERS_FILE');

login.after(async (ctx) => {
  await ctx.local?.stop();
  if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
});

login('POST /v1/auth/token exchanges a user of the file for a token the API accepts', async (ctx) => {
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'ap-local-users-'));
  const usersFile = path.join(ctx.dir, 'users.json');
  await writeFile(usersFile, JSON.stringify({ users: [{ username: 'alice', scrypt: await hashPassword('correct horse', { N: 1024, r: 8, p: 1 }) }] }));
  const local = (ctx.local = await startLocal({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: 'local-mode-test-secret-0123456789abcdef', AUTH_USERS_FILE: usersFile }));
  const ask = (password: string) => fetch(`${local.url}/v1/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password }),
  });
  assert.is((await ask('wrong')).status, 401);
  const res = await ask('correct horse');
  assert.is(res.status, 200, await res.clone().text());
  const { access_token: token } = (await res.json()) as { access_token: string };
  assert.is((await fetch(`${local.url}/v1/jobs`)).status, 401, 'no token, no jobs');
  assert.is((await fetch(`${local.url}/v1/jobs`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  assert.match(local.output(), /listening on (\[::\]|0\.0\.0\.0):\d+/, 'with jwt, every interface as the services');
});

login.run();

/** Resolves 'connected' or the error code (ECONNREFUSED, …) of a TCP connect to host:port. */
function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 5_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

const bind = suite<{ local?: LocalProcess }>('local mode: bind address with AUTH_MODE=none');

bind.after(async (ctx) => {
  await ctx.local?.stop();
});

bind('is loopback only: the port is refused on every non-loopback IPv4 address', async (ctx) => {
  const local = (ctx.local = await startLocal());
  const port = Number(new URL(local.url).port);
  const line = /listening on (\S+):(\d+)/.exec(local.output());
  assert.ok(line, `the bound address is printed:\n${local.output()}`);
  assert.is(line[1], '127.0.0.1');
  assert.is(Number(line[2]), port);
  assert.is(await probe('127.0.0.1', port), 'connected', 'loopback answers');
  const external = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  if (external.length === 0) {
    console.log('no non-loopback IPv4 address on this machine: only the bound address could be checked');
    return;
  }
  for (const address of external) assert.is(await probe(address, port), 'ECONNREFUSED', `${address}:${port} is not reachable`);
});

bind.run();
