import { Readable } from 'node:stream';
import * as assert from 'uvu/assert';
import { ErrorCode } from '@artifact-pipeline/shared';
import { withDeadline } from '../harness/support.js';
import { caseSuite, collect, mapLimit, rejectionCode, sortKeys, type MakeFixture } from './object-store-contract-support.js';

/**
 * 1,500 keys whose order differs between "sort by folder" and "sort by bytes": under each
 * group `gN`, the folder `gN-x/…`, the file `gN.fI` and the folder `gN/…` (`-` < `.` < `/`).
 */
function manyKeys(prefix: string): string[] {
  return Array.from({ length: 1500 }, (_, i) => {
    const group = `g${i % 7}`;
    if (i % 3 === 0) return `${prefix}${group}/f${i}`;
    if (i % 3 === 1) return `${prefix}${group}-x/f${i}`;
    return `${prefix}${group}.f${i}`;
  });
}

export function listCases(name: string, makeFixture: MakeFixture): void {
  const list = caseSuite(`${name}: list`, makeFixture);
  const prefix = 'many/';
  const keys = manyKeys(prefix);

  list.before(async ({ store, bucket }) => {
    await withDeadline(
      mapLimit(keys, 16, (key) => store.put(bucket, key, Readable.from([Buffer.from(key)]))),
      120_000,
      '1,500 small objects to be stored',
    );
    // a neighbour the prefix must exclude (shares the text "many" but not "many/")
    await store.put(bucket, 'many-not/x', Readable.from([Buffer.from('x')]));
  });

  list('lists 1,500 keys across pages of 200, in byte order, each once, with sizes', async ({ store, bucket }) => {
    const listed = await withDeadline(collect(store.list(bucket, prefix, { pageSize: 200 })), 60_000, 'the listing');
    const listedKeys = listed.map((o) => o.key);
    assert.is(listed.length, 1500);
    assert.is(new Set(listedKeys).size, 1500, 'no key listed twice');
    assert.equal(listedKeys, sortKeys(keys));
    for (const object of listed) assert.is(object.size, Buffer.byteLength(object.key), object.key);
  });

  list('startAfter resumes after the given key', async ({ store, bucket }) => {
    const sorted = sortKeys(keys);
    const from = sorted[733] as string;
    const listed = await withDeadline(collect(store.list(bucket, prefix, { pageSize: 200, startAfter: from })), 60_000, 'the listing');
    assert.equal(listed.map((o) => o.key), sorted.slice(734));
  });

  list('startAfter need not be a stored key', async ({ store, bucket }) => {
    const listed = await withDeadline(collect(store.list(bucket, prefix, { startAfter: `${prefix}g3-x/f9999` })), 60_000, 'the listing');
    assert.equal(listed.map((o) => o.key), sortKeys(keys).filter((k) => Buffer.compare(Buffer.from(k), Buffer.from(`${prefix}g3-x/f9999`)) > 0));
  });

  list('a prefix selects only the keys that start with it, also mid-segment', async ({ store, bucket }) => {
    const listed = await withDeadline(collect(store.list(bucket, `${prefix}g4`)), 30_000, 'the listing');
    assert.equal(listed.map((o) => o.key), sortKeys(keys.filter((k) => k.startsWith(`${prefix}g4`))));
    const none = await collect(store.list(bucket, 'nothing-here/'));
    assert.equal(none, []);
  });

  list('the whole bucket includes the neighbour outside the prefix', async ({ store, bucket }) => {
    const listed = await withDeadline(collect(store.list(bucket, '')), 60_000, 'the listing');
    // other cases may add keys elsewhere in the bucket: count only these
    assert.is(listed.filter((o) => o.key.startsWith('many')).length, 1501);
    assert.ok(listed.some((o) => o.key === 'many-not/x'));
  });

  list('order is by UTF-8 bytes, not by UTF-16 units as JS sorts', async ({ store, bucket }) => {
    const odd = ['order/\u{1f600}.txt', 'order/\uff5e.txt', 'order/Z.txt', 'order/a.txt', 'order/é.txt'];
    for (const key of odd) await store.put(bucket, key, Readable.from([Buffer.from('o')]));
    const listed = await collect(store.list(bucket, 'order/'));
    assert.equal(listed.map((o) => o.key), ['order/Z.txt', 'order/a.txt', 'order/é.txt', 'order/\uff5e.txt', 'order/\u{1f600}.txt']);
  });

  list('a missing bucket is SOURCE_NOT_FOUND', async ({ fixture, store }) => {
    assert.is(await rejectionCode(collect(store.list(fixture.unusedBucket(), ''))), ErrorCode.SOURCE_NOT_FOUND);
  });

  list.run();
}
