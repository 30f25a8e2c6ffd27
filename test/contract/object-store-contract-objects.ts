import { Readable } from 'node:stream';
import * as assert from 'uvu/assert';
import { ErrorCode } from '@artifact-pipeline/shared';
import { withDeadline } from '../harness/support.js';
import { caseSuite, collect, readAll, rejectionCode, type MakeFixture } from './object-store-contract-support.js';

/** Keys S3 accepts and URLs, file systems and encoders tend to mangle. */
const AWKWARD_KEYS = [
  'unicode/naïve café/résumé 2024.txt',
  'unicode/日本語/ファイル 一覧.csv',
  'unicode/emoji 😀/x.txt',
  'unicode/with  two spaces and + plus.txt',
  'unicode/q?x#y%z&=;,.txt',
];

const body = (text: string): Readable => Readable.from([Buffer.from(text)]);

export function objectCases(name: string, makeFixture: MakeFixture): void {
  const objects = caseSuite(`${name}: put, head, get, delete`, makeFixture);

  objects('unicode and space keys round-trip through put, list, head, get and a presigned GET', async ({ store, bucket }) => {
    for (const key of AWKWARD_KEYS) {
      const put = await withDeadline(store.put(bucket, key, body(`content of ${key}`)), 10_000, `put ${key}`);
      assert.is(put.size, Buffer.byteLength(`content of ${key}`));
    }
    const listed = await collect(store.list(bucket, 'unicode/'));
    assert.equal(listed.map((o) => o.key).sort(), [...AWKWARD_KEYS].sort());
    for (const key of AWKWARD_KEYS) {
      const expected = `content of ${key}`;
      const head = await store.head(bucket, key);
      assert.is(head?.key, key);
      assert.is(head?.size, Buffer.byteLength(expected));
      assert.is((await readAll(await store.get(bucket, key))).toString(), expected, `get ${key}`);
      const url = await store.presignGet(bucket, key, { expiresInSeconds: 300 });
      const response = await withDeadline(fetch(url), 10_000, `presigned GET of ${key}`);
      assert.is(response.status, 200, key);
      assert.is(await response.text(), expected, `presigned GET ${key}`);
    }
  });

  objects('put returns size and etag, head returns them with the content type', async ({ store, bucket }) => {
    const put = await store.put(bucket, 'meta/a.json', body('{"a":1}'), { contentType: 'application/json' });
    assert.is(put.size, 7);
    assert.type(put.etag, 'string');
    const head = await store.head(bucket, 'meta/a.json');
    assert.is(head?.size, 7);
    assert.is(head?.etag, put.etag);
    assert.is(head?.contentType, 'application/json');
    assert.instance(head?.lastModified, Date);
  });

  objects('an empty body stores an empty object', async ({ store, bucket }) => {
    assert.is((await store.put(bucket, 'empty/zero', Readable.from([]))).size, 0);
    assert.is((await store.head(bucket, 'empty/zero'))?.size, 0);
    assert.is((await readAll(await store.get(bucket, 'empty/zero'))).length, 0);
  });

  objects('put replaces an object', async ({ store, bucket }) => {
    await store.put(bucket, 'replace/x', body('first version'));
    await store.put(bucket, 'replace/x', body('second'));
    assert.is((await readAll(await store.get(bucket, 'replace/x'))).toString(), 'second');
    assert.is((await store.head(bucket, 'replace/x'))?.size, 6);
  });

  objects('byte ranges: closed, open-ended, and running past the end', async ({ store, bucket }) => {
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    await store.put(bucket, 'range/bytes', Readable.from([bytes]));
    const read = async (start: number, end?: number) =>
      readAll(await store.get(bucket, 'range/bytes', end === undefined ? { start } : { start, end }));
    assert.equal(await read(10, 19), bytes.subarray(10, 20));
    assert.equal(await read(990), bytes.subarray(990));
    assert.equal(await read(0, 0), bytes.subarray(0, 1));
    assert.equal(await read(995, 5000), bytes.subarray(995));
  });

  objects('a range starting past the end is INVALID_INPUT', async ({ store, bucket }) => {
    await store.put(bucket, 'range/short', body('12345'));
    assert.is(await rejectionCode(store.get(bucket, 'range/short', { start: 5 })), ErrorCode.INVALID_INPUT);
  });

  objects('head of a missing key is undefined', async ({ store, bucket }) => {
    assert.is(await store.head(bucket, 'missing/nothing.txt'), undefined);
  });

  objects('get of a missing key is NOT_FOUND, not retriable', async ({ store, bucket }) => {
    const err = await store.get(bucket, 'missing/nothing.txt').catch((e: unknown) => e);
    assert.is((err as { code?: string }).code, ErrorCode.NOT_FOUND);
    assert.is((err as { retriable?: boolean }).retriable, false);
  });

  objects('a missing bucket is SOURCE_NOT_FOUND for get, head and put', async ({ fixture, store }) => {
    const missing = fixture.unusedBucket();
    assert.is(await rejectionCode(store.get(missing, 'a.txt')), ErrorCode.SOURCE_NOT_FOUND);
    assert.is(await rejectionCode(store.head(missing, 'a.txt')), ErrorCode.SOURCE_NOT_FOUND);
    assert.is(await rejectionCode(store.put(missing, 'a.txt', body('x'))), ErrorCode.SOURCE_NOT_FOUND);
  });

  objects('delete removes the object; deleting a missing key is fine', async ({ store, bucket }) => {
    await store.put(bucket, 'delete/me.txt', body('bye'));
    await store.delete(bucket, 'delete/me.txt');
    assert.is(await store.head(bucket, 'delete/me.txt'), undefined);
    assert.is(await rejectionCode(store.get(bucket, 'delete/me.txt')), ErrorCode.NOT_FOUND);
    assert.equal(await collect(store.list(bucket, 'delete/')), []);
    await store.delete(bucket, 'delete/me.txt');
  });

  objects.run();
}
