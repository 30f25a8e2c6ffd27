/**
 * The big cases (SQS only, zipper-large.slow.test.ts): 70,000 tiny objects (more than 65,535
 * entries: the ZIP64 end record), and one entry above 4 GiB (ZIP64 sizes in the local
 * header). Both are slow (minutes against moto): the runner leaves their file out with SKIP_SLOW=1.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { withDeadline } from '../harness/support.js';
import { type ZipperWorld, closeWorld, completion, createWorld, expected, putFiles, readerProblems, requestZip } from './zipper-e2e-support.js';

interface Ctx {
  world?: ZipperWorld;
}

const MiB = 1024 * 1024;

export function largeCases(): void {
  const test = suite<Ctx>('zipper over sqs: large archives', {});
  test.before(async (ctx) => {
    ctx.world = await withDeadline(createWorld('sqs'), 60_000, 'the zipper world to start');
  });
  test.after(async (ctx) => {
    await closeWorld(ctx.world);
  });

  // Slow: putting 70,000 objects into moto took 269 s and zipping them 282 s on a loaded 2-core box.
  test('70,000 tiny objects: every entry there, byte for byte', async ({ world }) => {
    const w = world!;
    const count = 70_000;
    const name = (i: number): string => `f/${String(Math.floor(i / 1000)).padStart(2, '0')}/${String(i).padStart(5, '0')}.txt`;
    const body = (i: number): Buffer => Buffer.from(`file ${i}\n`);
    const started = Date.now();
    await withDeadline(putFiles(w, (function* () {
      for (let i = 0; i < count; i++) yield [`tiny/${name(i)}`, body(i)] as [string, Buffer];
    })(), 32), 1_200_000, 'putting 70,000 objects');
    const putSeconds = (Date.now() - started) / 1000;
    const command = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'tiny/' }, output: { name: 'tiny.zip' }, options: { compression: 'auto' } });
    const done = await completion(w, command.subject!, 1_200_000);
    const zipSeconds = (Date.now() - started) / 1000 - putSeconds;
    console.log(`  70,000 objects: put into moto in ${putSeconds.toFixed(1)} s, zipped in ${zipSeconds.toFixed(1)} s`);
    assert.is(done.manifest.included, count);
    const want = Array.from({ length: count }, (_, i) => expected(name(i), body(i)));
    assert.equal(await readerProblems(w, done.output.key, want, 300_000), []);
  });

  {
    test('a single entry above 4 GiB (stored), generated in moto from a repeating pattern', async ({ world }) => {
      const w = world!;
      const size = 4 * 1024 * MiB + 3 * MiB + 17;
      const pattern = Buffer.alloc(MiB);
      for (let i = 0; i < pattern.length; i++) pattern[i] = (i * 7 + (i >> 10)) & 0xff;
      const hash = createHash('sha256');
      const chunks = function* (): Generator<Buffer> {
        for (let left = size; left > 0; left -= pattern.length) {
          const chunk = left >= pattern.length ? pattern : pattern.subarray(0, left);
          hash.update(chunk);
          yield chunk;
        }
      };
      await withDeadline(w.objects.put(w.sourceBucket, 'huge/big.bin', Readable.from(chunks()), { expectedSize: size }), 1_200_000, 'the 4 GiB source upload');
      const sha256 = hash.digest('hex');
      await putFiles(w, [['huge/after.txt', Buffer.from('after the big one')]]);
      const command = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'huge/' }, output: { name: 'huge.zip' }, options: { compression: 'store' } });
      const done = await completion(w, command.subject!, 1_800_000);
      assert.ok(done.output.size > size, 'stored: the archive is larger than the entry (ZIP64 offsets too)');
      const want = [expected('after.txt', Buffer.from('after the big one')), { name: 'big.bin', directory: false, size, sha256 }];
      assert.equal(await readerProblems(w, done.output.key, want, 1_800_000), []);
    });
  }

  test.run();
}
