import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { EventType, createEvent, silentLogger, type ZipRequested } from '@artifact-pipeline/shared';
import { createLocalObjectStore, type LocalObjectStore } from '@artifact-pipeline/shared/adapters/local-object-store';
import type { BuildProgress } from '@artifact-pipeline/shared/worker/run-job-worker';
import { collect } from '../test-support/collect.js';
import { parseZip } from '../test-support/zip-parse.js';
import { type ZipCommand, createZipBuild } from './zip-job.js';

interface Ctx {
  dir: string;
  objects: LocalObjectStore;
}

const ARTIFACTS = 'artifacts';
const SOURCE = 'uploads';

function command(source: ZipRequested['source'], extra: Partial<ZipRequested> = {}): ZipCommand {
  const data: ZipRequested = {
    jobId: randomUUID(),
    owner: 'alice',
    source,
    output: { name: 'batch 1 – ü.zip' },
    options: { compression: 'auto' },
    ...extra,
  };
  return createEvent(EventType.zipRequested, data, { source: '/artifact-pipeline/test', time: '2025-03-04T05:06:07.000Z' });
}

async function put(objects: LocalObjectStore, key: string, body: string | Buffer): Promise<void> {
  await objects.put(SOURCE, key, Readable.from([Buffer.from(body)]));
}

async function run(ctx: Ctx, cmd: ZipCommand, progress: BuildProgress[] = []) {
  const build = createZipBuild({ objects: ctx.objects, artifactsBucket: ARTIFACTS, downloadUrlTtlSeconds: 3600 });
  const result = await build(cmd, {
    signal: new AbortController().signal,
    attempt: 1,
    reportProgress: (p) => progress.push(p),
    logger: silentLogger(),
  });
  const zip = parseZip(await collect(await ctx.objects.get(ARTIFACTS, result.output.key)));
  return { result, zip, names: zip.entries.map((e) => e.central.name) };
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

const Build = suite<Ctx>('createZipBuild', {} as Ctx);
Build.before.each(async (ctx) => {
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'zip-job-'));
  ctx.objects = createLocalObjectStore({ root: ctx.dir, publicBaseUrl: 'http://127.0.0.1:8080', signingSecret: 'x'.repeat(32) });
  await ctx.objects.ensureBucket(SOURCE);
  await ctx.objects.ensureBucket(ARTIFACTS);
});
Build.after.each(async (ctx) => {
  await rm(ctx.dir, { recursive: true, force: true });
});

Build('returns a build function', (ctx) => {
  assert.type(createZipBuild({ objects: ctx.objects, artifactsBucket: ARTIFACTS, downloadUrlTtlSeconds: 60 }), 'function');
});

Build('zips a prefix: sub-folders kept, marker left out, bytes exact, output at the dated key', async (ctx) => {
  await put(ctx.objects, 'inbox/b1/readme.txt', 'hello '.repeat(1000));
  await put(ctx.objects, 'inbox/b1/docs/été 2024.txt', 'summer');
  await put(ctx.objects, 'inbox/b1/empty.bin', '');
  await put(ctx.objects, 'inbox/b1/photo.jpg', Buffer.alloc(5000, 7));
  await put(ctx.objects, 'inbox/b1/_READY', '');
  const cmd = command({ bucket: SOURCE, prefix: 'inbox/b1/', marker: 'inbox/b1/_READY' });
  const progress: BuildProgress[] = [];
  const { result, zip, names } = await run(ctx, cmd, progress);
  assert.equal(names.sort(), ['docs/été 2024.txt', 'empty.bin', 'photo.jpg', 'readme.txt']);
  const byName = new Map(zip.entries.map((e) => [e.central.name, e]));
  assert.is(sha(byName.get('readme.txt')!.content), sha('hello '.repeat(1000)));
  assert.is(byName.get('readme.txt')!.central.method, 8, 'text is deflated');
  assert.is(byName.get('photo.jpg')!.central.method, 0, 'a JPEG is stored');
  assert.is(byName.get('empty.bin')!.content.length, 0);
  assert.is(result.output.key, `outputs/zips/2025/03/04/${cmd.data.jobId}/batch 1 – ü.zip`);
  assert.is(result.output.contentType, 'application/zip');
  assert.ok(result.output.size > 0);
  assert.equal(result.manifest, { included: 4, renamed: [], renamedTotal: 0, skipped: [], skippedTotal: 0 } as never);
  const last = progress.at(-1)!;
  assert.equal(last, { bytesDone: 11006, bytesTotal: 11006, itemsDone: 4, itemsTotal: 4 });
});

Build('a key list: missing keys skipped and recorded, manifest.json inside when asked', async (ctx) => {
  await put(ctx.objects, 'a/one.txt', 'one');
  await put(ctx.objects, 'b/one.txt', 'other one');
  const cmd = command(
    { bucket: SOURCE, keys: ['a/one.txt', 'gone.txt', 'b/one.txt'] },
    { options: { compression: 'store', includeManifest: true } },
  );
  const { result, zip, names } = await run(ctx, cmd);
  assert.equal(names, ['a/one.txt', 'b/one.txt', 'manifest.json']);
  const manifest = JSON.parse(zip.entries[2]!.content.toString('utf8')) as { included: number; skipped: { key: string }[] };
  assert.is(manifest.included, 2);
  assert.equal(manifest.skipped.map((s) => s.key), ['gone.txt']);
  assert.is((result.manifest as { skippedTotal: number }).skippedTotal, 1);
  assert.ok(zip.entries.every((e) => e.central.method === 0 || e.central.name === 'manifest.json'));
});

Build('an empty prefix fails SOURCE_EMPTY, all keys missing SOURCE_NOT_FOUND, and nothing is written', async (ctx) => {
  const empty = await run(ctx, command({ bucket: SOURCE, prefix: 'nothing/' })).catch((e: unknown) => e);
  assert.is((empty as { code?: string }).code, 'SOURCE_EMPTY');
  const missing = await run(ctx, command({ bucket: SOURCE, keys: ['x', 'y'] })).catch((e: unknown) => e);
  assert.is((missing as { code?: string }).code, 'SOURCE_NOT_FOUND');
  assert.is((missing as { retriable?: boolean }).retriable, false);
  const listed = [];
  for await (const o of ctx.objects.list(ARTIFACTS, '')) listed.push(o.key);
  assert.equal(listed, []);
});

Build('a source over the entry limit fails TOO_MANY_KEYS', async (ctx) => {
  for (const k of ['p/1', 'p/2', 'p/3']) await put(ctx.objects, k, k);
  const build = createZipBuild({ objects: ctx.objects, artifactsBucket: ARTIFACTS, downloadUrlTtlSeconds: 60, maxEntries: 2 });
  const err = await build(command({ bucket: SOURCE, prefix: 'p/' }), {
    signal: new AbortController().signal, attempt: 1, reportProgress: () => undefined, logger: silentLogger(),
  }).catch((e: unknown) => e);
  assert.is((err as { code?: string }).code, 'TOO_MANY_KEYS');
});

Build.run();
