import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import * as assert from 'uvu/assert';
import { ErrorCode, PipelineError } from '@artifact-pipeline/shared';
import { withDeadline } from '../harness/support.js';
import {
  MiB,
  caseSuite,
  deferred,
  digest,
  randomStream,
  rejectionCode,
  stallingStream,
  type MakeFixture,
} from './object-store-contract-support.js';

export function uploadCases(name: string, makeFixture: MakeFixture): void {
  const uploads = caseSuite(`${name}: large and failed uploads`, makeFixture);

  uploads('a 64 MiB stream of unknown length uploads and reads back byte-identical', async ({ fixture, store, bucket }) => {
    const size = 64 * MiB;
    const source = randomStream(size);
    const progress: number[] = [];
    const put = await withDeadline(
      store.put(bucket, 'large/random.bin', source.body, { onProgress: (n) => progress.push(n) }),
      120_000,
      'a 64 MiB upload',
    );
    assert.is(put.size, size);
    if (fixture.multipartEtags) assert.match(put.etag ?? '', /-\d+$/, 'uploaded in parts');
    assert.is(progress.at(-1), size, 'progress ends at the full size');
    assert.ok(progress.every((n, i) => i === 0 || n >= (progress[i - 1] ?? 0)), 'progress never goes back');
    assert.ok(progress.length > 1, 'progress reported along the way');
    assert.is((await store.head(bucket, 'large/random.bin'))?.size, size);
    const back = await withDeadline(digest(await store.get(bucket, 'large/random.bin')), 120_000, 'reading 64 MiB back');
    assert.is(back.size, size);
    assert.is(back.sha256, source.sha256());
  });

  uploads('a source failing midway rejects with its error and leaves nothing behind', async ({ store, bucket }) => {
    const progressed = deferred();
    const body = stallingStream(12 * MiB, async () => {
      await withDeadline(progressed.promise, 30_000, 'the first part to be uploaded');
      throw new PipelineError('the source went away', { code: ErrorCode.SOURCE_NOT_FOUND, retriable: false });
    });
    const code = await withDeadline(
      rejectionCode(store.put(bucket, 'failed/source.bin', body, { partSize: 5 * MiB, onProgress: () => progressed.resolve() })),
      60_000,
      'the failed upload to settle',
    );
    assert.is(code, ErrorCode.SOURCE_NOT_FOUND, 'the source error comes through');
    assert.equal(await store.listIncompleteUploads(bucket, 'failed/'), []);
    assert.is(await store.head(bucket, 'failed/source.bin'), undefined);
  });

  uploads('aborting the signal rejects with ABORTED and leaves nothing behind', async ({ store, bucket }) => {
    const controller = new AbortController();
    const progressed = deferred();
    const body = stallingStream(12 * MiB, () => Promise.resolve());
    const putting = rejectionCode(
      store.put(bucket, 'aborted/x.bin', body, { partSize: 5 * MiB, signal: controller.signal, onProgress: () => progressed.resolve() }),
    );
    await withDeadline(progressed.promise, 30_000, 'the first part to be uploaded');
    const during = await store.listIncompleteUploads(bucket, 'aborted/');
    assert.equal(during.map((u) => u.key), ['aborted/x.bin'], 'in flight, the upload is listed as incomplete');
    controller.abort();
    assert.is(await withDeadline(putting, 60_000, 'the aborted upload to settle'), ErrorCode.ABORTED);
    assert.equal(await store.listIncompleteUploads(bucket, 'aborted/'), []);
    assert.is(await store.head(bucket, 'aborted/x.bin'), undefined);
  });

  uploads('an already aborted signal stores nothing', async ({ store, bucket }) => {
    const code = await rejectionCode(
      store.put(bucket, 'aborted/early.bin', randomStream(MiB).body, { signal: AbortSignal.abort() }),
    );
    assert.is(code, ErrorCode.ABORTED);
    assert.is(await store.head(bucket, 'aborted/early.bin'), undefined);
  });

  uploads('abortIncompleteUpload removes an upload found by listIncompleteUploads', async ({ store, bucket }) => {
    const controller = new AbortController();
    const progressed = deferred();
    const putting = rejectionCode(
      store.put(bucket, 'sweep/x.bin', stallingStream(12 * MiB, () => Promise.resolve()), {
        partSize: 5 * MiB,
        signal: controller.signal,
        onProgress: () => progressed.resolve(),
      }),
    );
    try {
      await withDeadline(progressed.promise, 30_000, 'the first part to be uploaded');
      const [found, ...more] = await store.listIncompleteUploads(bucket, 'sweep/');
      assert.is(found?.key, 'sweep/x.bin');
      assert.is(more.length, 0);
      await store.abortIncompleteUpload(bucket, found!);
      assert.equal(await store.listIncompleteUploads(bucket, 'sweep/'), []);
      await store.abortIncompleteUpload(bucket, found!); // again: already gone is fine
    } finally {
      controller.abort();
      await withDeadline(putting, 60_000, 'the swept upload to settle');
    }
    assert.is(await store.head(bucket, 'sweep/x.bin'), undefined);
  });

  uploads('chunks that are Uint8Array views and strings, across parts, read back byte-identical', async ({ store, bucket }) => {
    const big = new Uint8Array(randomBytes(9 * MiB));
    // A view that starts inside its ArrayBuffer, a string with non-ASCII text, a plain view.
    const chunks: (Uint8Array | string)[] = [big.subarray(1234, 4 * MiB), 'grüße, ', big.subarray(4 * MiB), 'ünïcode ✓'];
    const expected = Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c))));
    const put = await withDeadline(
      store.put(bucket, 'mixed/chunks.bin', Readable.from(chunks), { partSize: 5 * MiB }),
      120_000,
      'the mixed upload',
    );
    assert.is(put.size, expected.length);
    const back = await digest(await store.get(bucket, 'mixed/chunks.bin'));
    assert.is(back.size, expected.length);
    assert.is(back.sha256, createHash('sha256').update(expected).digest('hex'));
  });

  uploads('a part size under 5 MiB is INVALID_INPUT', async ({ store, bucket }) => {
    const code = await rejectionCode(store.put(bucket, 'bad/part.bin', randomStream(1024).body, { partSize: MiB }));
    assert.is(code, ErrorCode.INVALID_INPUT);
  });

  uploads.run();
}
