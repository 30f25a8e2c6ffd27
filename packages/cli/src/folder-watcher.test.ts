import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectCreated } from '@artifact-pipeline/shared';
import { createFolderWatcher, type FolderWatcher } from './folder-watcher.js';

interface Ctx {
  root: string;
  seen: ObjectCreated[];
  errors: unknown[];
  watcher: FolderWatcher;
  failNext: boolean;
}

const watcher = suite<Ctx>('createFolderWatcher');

function newWatcher(ctx: Ctx): FolderWatcher {
  return createFolderWatcher({
    root: ctx.root,
    bucket: 'artifacts',
    onObject: async (o) => {
      if (ctx.failNext) {
        ctx.failNext = false;
        throw new Error('bus down');
      }
      ctx.seen.push(o);
    },
    onError: (err) => ctx.errors.push(err),
  });
}

watcher.before.each(async (ctx) => {
  ctx.root = await mkdtemp(join(tmpdir(), 'ap-watch-'));
  ctx.seen = [];
  ctx.errors = [];
  ctx.failNext = false;
  ctx.watcher = newWatcher(ctx);
});

watcher.after.each(async (ctx) => {
  await ctx.watcher.stop();
  await rm(ctx.root, { recursive: true, force: true });
});

async function batch(ctx: Ctx, name: string, marker = true): Promise<string> {
  const dir = join(ctx.root, 'artifacts', 'inbox', 'alice', name);
  await mkdir(join(dir, 'sub'), { recursive: true });
  await writeFile(join(dir, 'a.txt'), 'a');
  await writeFile(join(dir, 'sub', 'b.txt'), 'b');
  if (marker) await writeFile(join(dir, '_READY'), '');
  return dir;
}

watcher('a marker in an unchanged folder is handed over once, as S3 would notify it', async (ctx) => {
  await batch(ctx, 'b1');
  await ctx.watcher.scan();
  assert.equal(ctx.seen, [], 'the first scan only notes the folder');
  await ctx.watcher.scan();
  assert.is(ctx.seen.length, 1);
  const object = ctx.seen[0]!;
  assert.is(object.bucket, 'artifacts');
  assert.is(object.key, 'inbox/alice/b1/_READY');
  assert.is(object.size, 0);
  assert.match(object.sequencer, /^[0-9a-f]+$/);
  await ctx.watcher.scan();
  assert.is(ctx.seen.length, 1, 'not again');
});

watcher('data files alone never trigger', async (ctx) => {
  await batch(ctx, 'b2', false);
  await ctx.watcher.scan();
  await ctx.watcher.scan();
  assert.equal(ctx.seen, []);
});

watcher('a file still growing after the marker delays the job until it stops changing', async (ctx) => {
  const dir = await batch(ctx, 'b3');
  await ctx.watcher.scan();
  await appendFile(join(dir, 'sub', 'b.txt'), 'more bytes');
  await ctx.watcher.scan();
  assert.equal(ctx.seen, [], 'the folder changed between the two scans');
  await ctx.watcher.scan();
  assert.is(ctx.seen.length, 1);
});

watcher('a failed hand-over is tried again; a restart does not repeat a handled marker', async (ctx) => {
  const dir = await batch(ctx, 'b4');
  ctx.failNext = true;
  await ctx.watcher.scan();
  await ctx.watcher.scan();
  assert.is(ctx.errors.length, 1);
  assert.equal(ctx.seen, []);
  await ctx.watcher.scan();
  await ctx.watcher.scan();
  assert.is(ctx.seen.length, 1);

  const restarted = newWatcher(ctx);
  await restarted.scan();
  await restarted.scan();
  assert.is(ctx.seen.length, 1, 'remembered across restarts');
  // touching the marker is a new version, as a new PUT would be in S3
  const later = new Date(Date.now() + 5_000);
  await utimes(join(dir, '_READY'), later, later);
  await restarted.scan();
  await restarted.scan();
  assert.is(ctx.seen.length, 2);
  assert.is.not(ctx.seen[1]!.sequencer, ctx.seen[0]!.sequencer);
  await restarted.stop();
});

watcher.run();
