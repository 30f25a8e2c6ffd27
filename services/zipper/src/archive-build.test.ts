import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLocalObjectStore, type LocalObjectStore } from '@artifact-pipeline/shared/adapters/local-object-store';
import { collect } from '../test-support/collect.js';
import { parseZip } from '../test-support/zip-parse.js';
import { buildArchive } from './archive-build.js';
import { planArchive } from './archive-plan.js';

interface Ctx {
  dir: string;
  objects: LocalObjectStore;
}

const build = suite<Ctx>('buildArchive', {} as Ctx);
build.before.each(async (ctx) => {
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'archive-build-'));
  ctx.objects = createLocalObjectStore({ root: ctx.dir, publicBaseUrl: 'http://127.0.0.1:8080', signingSecret: 'x'.repeat(32) });
  await ctx.objects.ensureBucket('src');
  await ctx.objects.ensureBucket('out');
});
build.after.each(async (ctx) => {
  await rm(ctx.dir, { recursive: true, force: true });
});

build('is a function', () => assert.type(buildArchive, 'function'));

build('a renamed key gone before it was read is listed once, as skipped', async ({ objects }) => {
  await objects.put('src', 'in/kept?.txt', Readable.from([Buffer.from('kept')]));
  // Listed (so planned and renamed), then deleted before the archive read it.
  const listing = {
    bucket: 'src',
    prefix: 'in/',
    objects: [{ key: 'in/gone?.txt', size: 4 }, { key: 'in/kept?.txt', size: 4 }],
    skipped: [],
    totalBytes: 8,
  };
  const plan = planArchive(listing, { compression: 'store', includeManifest: true });
  assert.equal(plan.renamed.map((r) => r.key), ['in/gone?.txt', 'in/kept?.txt']);
  const built = await buildArchive({
    objects, plan, target: { bucket: 'out', key: 'a.zip', fileName: 'a.zip' },
    manifest: { jobId: 'job-1', source: { bucket: 'src', prefix: 'in/' } }, signal: new AbortController().signal,
  });
  assert.equal(built.manifest.renamed.map((r) => r.key), ['in/kept?.txt']);
  assert.equal(built.manifest.skipped, [{ key: 'in/gone?.txt', reason: 'not found: deleted after it was listed' }]);
  const zip = parseZip(await collect(await objects.get('out', 'a.zip')));
  assert.equal(zip.entries.map((e) => e.central.name), ['kept_.txt', 'manifest.json']);
  const inside = JSON.parse(zip.entries[1]!.content.toString('utf8')) as { renamed: { key: string }[]; skipped: { key: string }[] };
  const mentions = [...inside.renamed, ...inside.skipped].filter((e) => e.key === 'in/gone?.txt');
  assert.is(mentions.length, 1, 'manifest.json names the gone key once');
});

build.run();
