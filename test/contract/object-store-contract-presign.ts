import { Readable } from 'node:stream';
import * as assert from 'uvu/assert';
import { ErrorCode } from '@artifact-pipeline/shared';
import { contentDisposition } from '@artifact-pipeline/shared/content-disposition';
import { withDeadline } from '../harness/support.js';
import { caseSuite, readAll, rejectionCode, type MakeFixture } from './object-store-contract-support.js';

export function presignCases(name: string, makeFixture: MakeFixture): void {
  const presign = caseSuite(`${name}: presigned URLs and buckets`, makeFixture);

  presign('a presigned GET downloads with plain fetch, with a non-ASCII file name', async ({ store, bucket }) => {
    const bytes = Buffer.from('%PDF-1.7 not really a pdf\n');
    await store.put(bucket, 'zips/2025/job-1/out.pdf', Readable.from([bytes]), { contentType: 'application/pdf' });
    const fileName = 'Résumé “final” 報告 2025.pdf';
    const url = await store.presignGet(bucket, 'zips/2025/job-1/out.pdf', { expiresInSeconds: 600, fileName });
    const response = await withDeadline(fetch(url), 10_000, 'the presigned download');
    assert.is(response.status, 200);
    assert.is(response.headers.get('content-disposition'), contentDisposition(fileName));
    assert.is(response.headers.get('content-type'), 'application/pdf');
    assert.equal(Buffer.from(await response.arrayBuffer()), bytes);
  });

  presign('a presigned GET without a file name still downloads', async ({ store, bucket }) => {
    await store.put(bucket, 'plain/a.txt', Readable.from([Buffer.from('plain')]));
    const response = await fetch(await store.presignGet(bucket, 'plain/a.txt', { expiresInSeconds: 60 }));
    assert.is(response.status, 200);
    assert.is(await response.text(), 'plain');
  });

  presign('a presigned PUT with plain fetch stores an object get() returns', async ({ store, bucket }) => {
    const key = 'inbox/alice/batch 1/naïve.csv';
    const url = await store.presignPut(bucket, key, { expiresInSeconds: 600, contentType: 'text/csv' });
    const response = await withDeadline(
      fetch(url, { method: 'PUT', body: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } }),
      10_000,
      'the presigned upload',
    );
    assert.is(response.status, 200);
    assert.is((await readAll(await store.get(bucket, key))).toString(), 'a,b\n1,2\n');
    const head = await store.head(bucket, key);
    assert.is(head?.size, 8);
    assert.is(head?.contentType, 'text/csv');
  });

  presign('presigned URLs live at most 7 days', async ({ store, bucket }) => {
    assert.is(await rejectionCode(store.presignGet(bucket, 'a', { expiresInSeconds: 604_801 })), ErrorCode.INVALID_INPUT);
    assert.is(await rejectionCode(store.presignPut(bucket, 'a', { expiresInSeconds: 0 })), ErrorCode.INVALID_INPUT);
    assert.type(await store.presignGet(bucket, 'a', { expiresInSeconds: 604_800 }), 'string');
  });

  presign('ensureBucket creates a missing bucket and is idempotent', async ({ fixture, store }) => {
    const fresh = fixture.unusedBucket();
    await store.ensureBucket(fresh);
    await store.ensureBucket(fresh);
    await store.put(fresh, 'hello.txt', Readable.from([Buffer.from('hi')]));
    await store.ensureBucket(fresh);
    assert.is((await readAll(await store.get(fresh, 'hello.txt'))).toString(), 'hi', 'contents survive ensureBucket');
  });

  presign('ping answers', async ({ store }) => {
    await withDeadline(store.ping(), 10_000, 'ping');
  });

  presign.run();
}
