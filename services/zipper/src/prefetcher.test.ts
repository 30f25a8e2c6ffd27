import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable } from 'node:stream';
import { ErrorCode, PipelineError, type ObjectStore } from '@artifact-pipeline/shared';
import type { ArchiveEntry } from './archive-plan.js';
import { fetchInOrder } from './prefetcher.js';

/** A store whose GETs count how many bodies are open (requested and not read to the end). */
function fakeStore(sizes: Map<string, number>, { missing = new Set<string>() } = {}) {
  const stats = { open: 0, maxOpen: 0, gets: [] as string[] };
  const store = {
    async get(_bucket: string, key: string) {
      stats.gets.push(key);
      if (missing.has(key)) throw new PipelineError('gone', { code: ErrorCode.NOT_FOUND, retriable: false });
      stats.open++;
      stats.maxOpen = Math.max(stats.maxOpen, stats.open);
      const size = sizes.get(key)!;
      const body = Readable.from([Buffer.alloc(size, key.charCodeAt(0))]);
      body.on('close', () => stats.open--);
      return body;
    },
  } as unknown as ObjectStore;
  return { store, stats };
}

const entry = (key: string, size: number): ArchiveEntry => ({ key, name: key, directory: false, size, method: 'store' });

async function drain(it: AsyncGenerator<{ entry: ArchiveEntry; missing: boolean; body?: AsyncIterable<Uint8Array> }>) {
  const out: { key: string; bytes: number; missing: boolean }[] = [];
  for await (const turn of it) {
    let bytes = 0;
    if (!turn.missing && turn.body) for await (const chunk of turn.body) bytes += chunk.length;
    out.push({ key: turn.entry.key, bytes, missing: turn.missing });
  }
  return out;
}

const Prefetch = suite('fetchInOrder');

Prefetch('yields every entry in archive order with its bytes', async () => {
  const entries = Array.from({ length: 30 }, (_, i) => entry(`k${String(i).padStart(2, '0')}`, 100 + i));
  const { store } = fakeStore(new Map(entries.map((e) => [e.key, e.size])));
  const out = await drain(fetchInOrder({ objects: store, bucket: 'b', entries }));
  assert.equal(out.map((o) => o.key), entries.map((e) => e.key));
  assert.equal(out.map((o) => o.bytes), entries.map((e) => e.size));
});

Prefetch('keeps at most maxObjectsAhead GETs open besides the current one', async () => {
  const entries = Array.from({ length: 40 }, (_, i) => entry(`k${i}`, 10));
  const { store, stats } = fakeStore(new Map(entries.map((e) => [e.key, e.size])));
  await drain(fetchInOrder({ objects: store, bucket: 'b', entries, maxObjectsAhead: 5 }));
  assert.ok(stats.maxOpen <= 6, `open at once: ${stats.maxOpen}`);
  assert.ok(stats.maxOpen >= 5, `prefetch happened: ${stats.maxOpen}`);
});

Prefetch('keeps the bytes of the objects ahead within the budget', async () => {
  const entries = Array.from({ length: 20 }, (_, i) => entry(`k${i}`, 1000));
  const { store, stats } = fakeStore(new Map(entries.map((e) => [e.key, e.size])));
  await drain(fetchInOrder({ objects: store, bucket: 'b', entries, maxBytesAhead: 3000, maxObjectsAhead: 8 }));
  // 3 × 1000 bytes within the budget, plus the object just read to its end, whose body
  // closes a moment after its last byte.
  assert.ok(stats.maxOpen <= 4, `open at once: ${stats.maxOpen}`);
});

Prefetch('strictly one at a time with maxObjectsAhead 0', async () => {
  const entries = Array.from({ length: 10 }, (_, i) => entry(`k${i}`, 10));
  const { store, stats } = fakeStore(new Map(entries.map((e) => [e.key, e.size])));
  await drain(fetchInOrder({ objects: store, bucket: 'b', entries, maxObjectsAhead: 0 }));
  assert.ok(stats.maxOpen <= 2, `open at once: ${stats.maxOpen} (the one read to its end closes a moment later)`);
});

Prefetch('an object bigger than the budget is still fetched, and a vanished one is reported missing', async () => {
  const entries = [entry('small', 10), entry('huge', 10_000), entry('gone', 5), entry('last', 3)];
  const { store } = fakeStore(new Map(entries.map((e) => [e.key, e.size])), { missing: new Set(['gone']) });
  const out = await drain(fetchInOrder({ objects: store, bucket: 'b', entries, maxBytesAhead: 100 }));
  assert.equal(out, [
    { key: 'small', bytes: 10, missing: false },
    { key: 'huge', bytes: 10_000, missing: false },
    { key: 'gone', bytes: 0, missing: true },
    { key: 'last', bytes: 3, missing: false },
  ]);
});

Prefetch('empty files and folders need no GET', async () => {
  const entries = [entry('empty', 0), { ...entry('dir/', 0), directory: true }, entry('x', 4)];
  const { store, stats } = fakeStore(new Map([['x', 4]]));
  const out = await drain(fetchInOrder({ objects: store, bucket: 'b', entries }));
  assert.equal(out.map((o) => o.bytes), [0, 0, 4]);
  assert.equal(stats.gets, ['x']);
});

Prefetch('stopping early closes every body still open', async () => {
  const entries = Array.from({ length: 10 }, (_, i) => entry(`k${i}`, 10));
  const { store, stats } = fakeStore(new Map(entries.map((e) => [e.key, e.size])));
  for await (const turn of fetchInOrder({ objects: store, bucket: 'b', entries })) {
    if (!turn.missing) for await (const _ of turn.body) break;
    break;
  }
  const until = Date.now() + 2_000;
  while (stats.open > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  assert.is(stats.open, 0);
});

Prefetch.run();
