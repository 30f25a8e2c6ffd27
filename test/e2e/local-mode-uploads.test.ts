/**
 * Local mode cleans up after itself: an upload a crash left unfinished in the folder store
 * (`.uploads/<id>.data` + `.json`, as local-object-upload.ts writes them) is aborted when
 * `artifacts dev` starts again — no bucket lifecycle rule exists there to do it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLocalObjectStore } from '@artifact-pipeline/shared/adapters/local-object-store';
import { startLocal, type LocalProcess } from './local-mode-support.js';

interface Ctx {
  dir?: string;
  local?: LocalProcess;
}

const test = suite<Ctx>('local mode: unfinished uploads of an earlier run', {});
test.after(async (ctx) => {
  await ctx.local?.stop();
  if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
});

test('are aborted at start; finished objects stay', async (ctx) => {
  const dir = (ctx.dir = await mkdtemp(path.join(tmpdir(), 'ap-local-uploads-')));
  const dataDir = path.join(dir, 'data');
  const store = createLocalObjectStore({ root: dataDir, publicBaseUrl: 'http://127.0.0.1:1', signingSecret: 'k'.repeat(32) });
  await store.ensureBucket('artifacts');
  await store.put('artifacts', 'zips/2030/01/01/done/a.zip', Readable.from([Buffer.from('finished')]));
  // What a put cut short by a kill leaves behind.
  const uploads = path.join(dataDir, 'artifacts', '.uploads');
  await mkdir(uploads, { recursive: true });
  const id = randomUUID();
  await writeFile(path.join(uploads, `${id}.json`), JSON.stringify({ key: 'zips/2030/01/01/dead/b.zip', initiated: new Date().toISOString() }));
  await writeFile(path.join(uploads, `${id}.data`), Buffer.alloc(1024));
  assert.equal((await store.listIncompleteUploads('artifacts', '')).map((u) => u.key), ['zips/2030/01/01/dead/b.zip'], 'the store sees it as unfinished');

  ctx.local = await startLocal({ LOCAL_DATA_DIR: dataDir });
  assert.equal(await store.listIncompleteUploads('artifacts', ''), []);
  assert.equal(await readdir(uploads), [], 'its files are gone');
  assert.ok(await store.head('artifacts', 'zips/2030/01/01/done/a.zip'), 'a finished object is kept');
});

test.run();
