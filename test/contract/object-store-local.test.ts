/**
 * The ObjectStore contract against the local folder store, its presigned URLs served by
 * createLocalObjectHandler on 127.0.0.1:<free port>; then what only the local store does:
 * signature and expiry checks, HTTP ranges, and keys that must not escape the bucket.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode } from '@artifact-pipeline/shared';
import { createLocalObjectHandler, type LocalObjectHandler } from '@artifact-pipeline/shared/adapters/local-object-handler';
import { createLocalObjectStore, type LocalObjectStore } from '@artifact-pipeline/shared/adapters/local-object-store';
import { uniqueName, withDeadline } from '../harness/support.js';
import { objectStoreContract, type ObjectStoreFixture } from './object-store.contract.js';
import { rejectionCode } from './object-store-contract-support.js';

interface LocalFixture extends ObjectStoreFixture {
  store: LocalObjectStore;
  root: string;
  baseUrl: string;
  /** Moves the store's clock, in ms. */
  advance(ms: number): void;
}

async function makeFixture(): Promise<LocalFixture> {
  const root = await mkdtemp(join(tmpdir(), 'object-store-local-'));
  let handler: LocalObjectHandler | undefined;
  const server: Server = createServer((req, res) => {
    if (!handler?.(req, res)) res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let offset = 0;
  const store = createLocalObjectStore({ root, publicBaseUrl: baseUrl, signingSecret: 'test-secret', clock: () => Date.now() + offset });
  handler = createLocalObjectHandler(store);
  return {
    store,
    root,
    baseUrl,
    multipartEtags: false,
    advance: (ms) => {
      offset += ms;
    },
    async newBucket() {
      const bucket = uniqueName('os');
      await store.ensureBucket(bucket);
      return bucket;
    },
    unusedBucket: () => uniqueName('os'),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

objectStoreContract('local', makeFixture);

interface LocalContext {
  fixture: LocalFixture;
  bucket: string;
}

const handler = suite<LocalContext>('createLocalObjectHandler', {} as LocalContext);

handler.before(async (ctx) => {
  ctx.fixture = await withDeadline(makeFixture(), 10_000, 'the local fixture');
  ctx.bucket = await ctx.fixture.newBucket();
  await ctx.fixture.store.put(ctx.bucket, 'docs/a.txt', Readable.from([Buffer.from('0123456789')]), { contentType: 'text/plain' });
});

handler.after(async (ctx) => {
  await ctx.fixture?.close();
});

handler('is a function', () => assert.type(createLocalObjectHandler, 'function'));

handler('an expired URL gets 403, checked against the store clock', async ({ fixture, bucket }) => {
  const url = await fixture.store.presignGet(bucket, 'docs/a.txt', { expiresInSeconds: 60 });
  assert.is((await fetch(url)).status, 200);
  fixture.advance(61_000);
  try {
    const response = await fetch(url);
    assert.is(response.status, 403);
    assert.is(await response.text(), 'expired');
  } finally {
    fixture.advance(-61_000);
  }
});

handler('a changed key, expiry or disposition, or a wrong secret, gets 403', async ({ fixture, bucket }) => {
  const url = new URL(await fixture.store.presignGet(bucket, 'docs/a.txt', { expiresInSeconds: 60, fileName: 'a.txt' }));
  const variants = [
    url.href.replace('docs/a.txt', 'docs/b.txt'),
    url.href.replace(/expires=(\d+)/, (_, n: string) => `expires=${Number(n) + 3600}`),
    url.href.replace(/disposition=[^&]+/, 'disposition=inline'),
    url.href.replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`),
    url.href.replace(/&signature=[0-9a-f]+/, ''),
  ];
  for (const variant of variants) assert.is((await fetch(variant)).status, 403, variant);
  const other = createLocalObjectStore({ root: fixture.root, publicBaseUrl: fixture.baseUrl, signingSecret: 'another' });
  assert.is((await fetch(await other.presignGet(bucket, 'docs/a.txt', { expiresInSeconds: 60 }))).status, 403);
});

handler('a URL signed for GET cannot PUT, nor the other way round', async ({ fixture, bucket }) => {
  const getUrl = await fixture.store.presignGet(bucket, 'docs/a.txt', { expiresInSeconds: 60 });
  assert.is((await fetch(getUrl, { method: 'PUT', body: 'overwrite' })).status, 403);
  const putUrl = await fixture.store.presignPut(bucket, 'docs/a.txt', { expiresInSeconds: 60 });
  assert.is((await fetch(putUrl)).status, 403);
  assert.is((await fixture.store.head(bucket, 'docs/a.txt'))?.size, 10, 'the object is untouched');
});

handler('a PUT whose content type differs from the signed one gets 403', async ({ fixture, bucket }) => {
  const url = await fixture.store.presignPut(bucket, 'docs/typed.csv', { expiresInSeconds: 60, contentType: 'text/csv' });
  assert.is((await fetch(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } })).status, 403);
  assert.is(await fixture.store.head(bucket, 'docs/typed.csv'), undefined);
});

handler('serves ranges with 206 and Content-Range, 416 past the end, and HEAD', async ({ fixture, bucket }) => {
  const url = await fixture.store.presignGet(bucket, 'docs/a.txt', { expiresInSeconds: 60 });
  const partial = await fetch(url, { headers: { range: 'bytes=2-4' } });
  assert.is(partial.status, 206);
  assert.is(partial.headers.get('content-range'), 'bytes 2-4/10');
  assert.is(partial.headers.get('content-length'), '3');
  assert.is(await partial.text(), '234');
  const suffix = await fetch(url, { headers: { range: 'bytes=-3' } });
  assert.is(await suffix.text(), '789');
  const beyond = await fetch(url, { headers: { range: 'bytes=10-' } });
  assert.is(beyond.status, 416);
  assert.is(beyond.headers.get('content-range'), 'bytes */10');
  const head = await fetch(url, { method: 'HEAD' });
  assert.is(head.status, 200);
  assert.is(head.headers.get('content-length'), '10');
  assert.is(head.headers.get('content-type'), 'text/plain');
});

handler('a missing object gets 404; paths outside /local-objects/ are left to the server', async ({ fixture, bucket }) => {
  const url = await fixture.store.presignGet(bucket, 'docs/none.txt', { expiresInSeconds: 60 });
  assert.is((await fetch(url)).status, 404);
  const other = await fetch(`${fixture.baseUrl}/v1/jobs`);
  assert.is(await other.text(), 'not here');
});

handler.run();

const keys = suite<LocalContext>('createLocalObjectStore keys', {} as LocalContext);

keys.before(async (ctx) => {
  ctx.fixture = await withDeadline(makeFixture(), 10_000, 'the local fixture');
  ctx.bucket = await ctx.fixture.newBucket();
});

keys.after(async (ctx) => {
  await ctx.fixture?.close();
});

keys('keys that would escape the bucket or clash with the store are INVALID_INPUT', async ({ fixture, bucket }) => {
  const body = (): Readable => Readable.from([Buffer.from('x')]);
  for (const key of ['../escape.txt', 'a/../../escape.txt', '/etc/passwd', 'a//b', 'a/./b', 'nul\0byte', '.uploads/x', '.meta/x', '']) {
    assert.is(await rejectionCode(fixture.store.put(bucket, key, body())), ErrorCode.INVALID_INPUT, JSON.stringify(key));
    assert.is(await rejectionCode(fixture.store.get(bucket, key)), ErrorCode.INVALID_INPUT, JSON.stringify(key));
  }
  assert.is(await rejectionCode(fixture.store.put('../x', 'a', body())), ErrorCode.INVALID_INPUT);
  assert.equal((await readdir(fixture.root)).sort(), [bucket], 'nothing written outside the bucket');
});

keys('the store folders are never listed, and a failed put leaves no temp files', async ({ fixture, bucket }) => {
  await fixture.store.put(bucket, 'x/y.txt', Readable.from([Buffer.from('y')]));
  const failing = Readable.from((async function* () {
    yield Buffer.from('partial');
    throw new Error('source broke');
  })());
  assert.ok((await rejectionCode(fixture.store.put(bucket, 'x/z.txt', failing))) !== 'resolved');
  const listed: string[] = [];
  for await (const o of fixture.store.list(bucket, '')) listed.push(o.key);
  assert.equal(listed, ['x/y.txt']);
  assert.equal(await readdir(join(fixture.root, bucket, '.uploads')), []);
});

keys('a key that is the folder of another key is INVALID_INPUT', async ({ fixture, bucket }) => {
  await fixture.store.put(bucket, 'clash/a/b.txt', Readable.from([Buffer.from('b')]));
  assert.is(await rejectionCode(fixture.store.put(bucket, 'clash/a', Readable.from([Buffer.from('a')]))), ErrorCode.INVALID_INPUT);
  assert.is(await rejectionCode(fixture.store.put(bucket, 'clash/a/b.txt/c', Readable.from([Buffer.from('c')]))), ErrorCode.INVALID_INPUT);
});

keys('a file dropped into the bucket by hand is an object without etag', async ({ fixture, bucket }) => {
  await mkdir(join(fixture.root, bucket, 'dropped'), { recursive: true });
  await writeFile(join(fixture.root, bucket, 'dropped', 'by hand.txt'), 'hand');
  const head = await fixture.store.head(bucket, 'dropped/by hand.txt');
  assert.is(head?.size, 4);
  assert.is(head?.etag, undefined);
});

keys.run();
