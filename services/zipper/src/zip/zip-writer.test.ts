import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { withDeadline } from '../../../../test/harness/support.js';
import { FIXED_TIME, buildArchive, collect, sourceOf } from '../../test-support/collect.js';
import { parseZip } from '../../test-support/zip-parse.js';
import { createZipWriter } from './zip-writer.js';

const DEADLINE_MS = 10_000;

interface Ctx {
  text: Buffer;
  noise: Buffer;
}

const writer = suite<Ctx>('createZipWriter', {
  text: Buffer.from('lorem ipsum dolor sit amet\n'.repeat(40_000)),
  noise: randomBytes(3 * 1024 * 1024 + 17),
});

writer('refuses a deflate level zlib does not have', () => {
  assert.throws(() => createZipWriter({ deflateLevel: 10 }), /deflateLevel/);
});

writer('gives an output stream and the entry functions', () => {
  const w = createZipWriter();
  assert.ok(w.output.readable);
  for (const fn of [w.addEntry, w.addDirectory, w.finish, w.abort]) assert.type(fn, 'function');
  w.output.on('error', () => undefined);
  w.abort();
});

writer('every entry reads back with its content, CRC and sizes', async ({ text, noise }) => {
  const b = await withDeadline(
    buildArchive([
      { name: 'text.txt', content: text, method: 'deflate' },
      { name: 'noise.bin', content: noise, method: 'store' },
      { name: 'noise.deflated', content: noise, method: 'deflate' },
    ]),
    DEADLINE_MS,
    'the archive',
  );
  const zip = parseZip(b);
  const wanted = [text, noise, noise];
  zip.entries.forEach((entry, i) => {
    assert.ok(entry.content.equals(wanted[i]!), entry.central.name);
    assert.is(entry.central.crc32, crc32(wanted[i]!));
    assert.is(entry.descriptor?.crc32, crc32(wanted[i]!));
    assert.is(entry.wide.size, wanted[i]!.length);
  });
  assert.ok(zip.entries[0]!.wide.compressedSize < text.length / 50, 'text deflates');
});

writer('results report what was written, and finish counts it', async ({ text }) => {
  const w = createZipWriter({ clock: () => FIXED_TIME });
  const bytes = collect(w.output);
  const first = await w.addEntry({ name: 'a.txt', size: text.length, method: 'deflate', source: sourceOf(text) });
  const second = await w.addEntry({ name: 'b.txt', size: 5, method: 'store', source: sourceOf('hello') });
  const summary = await w.finish();
  const b = await bytes;
  assert.equal(first.crc32, crc32(text));
  assert.equal([first.offset, first.size, first.method], [0, text.length, 'deflate']);
  assert.equal([second.compressedSize, second.size, second.crc32], [5, 5, crc32('hello')]);
  assert.is(second.offset, 30 + 5 + 9 + first.compressedSize + 16);
  assert.equal(summary, { entries: 2, bytesWritten: b.length, zip64: false });
  assert.is(w.bytesWritten, b.length);
});

writer('a source shorter than its size fails the entry and the output', async () => {
  const w = createZipWriter();
  const bytes = collect(w.output);
  const err = await w.addEntry({ name: 'short.txt', size: 10, method: 'store', source: sourceOf('12345') }).catch((e: unknown) => e);
  assert.is((err as { code?: string }).code, 'SOURCE_CHANGED');
  assert.is((err as { retriable?: boolean }).retriable, true);
  assert.match((err as Error).message, /short\.txt.*gave 5 bytes but its size was 10/);
  const outputError = await bytes.catch((e: unknown) => e);
  assert.is(outputError, err, 'the consumer (the upload) sees the same error');
  const again = await w.finish().catch((e: unknown) => e);
  assert.is(again, err, 'the writer stays failed');
});

writer('a source longer than its size fails before the extra bytes are written', async () => {
  const w = createZipWriter();
  const chunks: Buffer[] = [];
  w.output.on('data', (c: Buffer) => chunks.push(c));
  w.output.on('error', () => undefined);
  const err = await w.addEntry({ name: 'long.txt', size: 4, method: 'store', source: Readable.from([Buffer.from('1234'), Buffer.from('5')]) }).catch((e: unknown) => e);
  assert.is((err as { code?: string }).code, 'SOURCE_CHANGED');
  assert.not.ok(Buffer.concat(chunks).includes('12345'), 'the fifth byte never reaches the archive');
});

writer('a wrong known CRC fails the entry', async () => {
  const w = createZipWriter();
  void collect(w.output).catch(() => undefined);
  const err = await w.addEntry({ name: 'k.txt', size: 5, method: 'store', crc32: 1234, source: sourceOf('hello') }).catch((e: unknown) => e);
  assert.is((err as { code?: string }).code, 'SOURCE_CHANGED');
});

writer('unsafe names and sizes are refused without failing the archive', async () => {
  const w = createZipWriter();
  const bytes = collect(w.output);
  for (const name of ['../evil', '/abs', 'a\\b', 'a//b', './a', 'dir/', `d/${'x'.repeat(256)}`]) {
    const err = await w.addEntry({ name, size: 1, method: 'store', source: sourceOf('x') }).catch((e: unknown) => e);
    assert.is((err as { code?: string }).code, 'INVALID_INPUT', name);
  }
  const refused = sourceOf('');
  const negative = await w.addEntry({ name: 'n', size: -1, method: 'store', source: refused }).catch((e: unknown) => e);
  assert.is((negative as { code?: string }).code, 'INVALID_INPUT');
  assert.ok(refused.destroyed, 'the refused source is released');
  await w.addEntry({ name: 'fine.txt', size: 1, method: 'store', source: sourceOf('x') });
  await w.finish();
  assert.equal(parseZip(await bytes).entries.map((e) => e.central.name), ['fine.txt']);
});

writer('a second entry while one is being written is refused; the first completes', async ({ text }) => {
  const w = createZipWriter();
  const bytes = collect(w.output);
  const first = w.addEntry({ name: 'a.txt', size: text.length, method: 'deflate', source: sourceOf(text) });
  const second = sourceOf('x');
  const err = await w.addEntry({ name: 'b.txt', size: 1, method: 'store', source: second }).catch((e: unknown) => e);
  assert.is((err as { code?: string }).code, 'INTERNAL');
  assert.ok(second.destroyed, 'the refused source is released');
  assert.match((err as Error).message, /one at a time/);
  await first;
  await w.finish();
  const late = await w.addEntry({ name: 'c.txt', size: 0, method: 'store', source: [] }).catch((e: unknown) => e);
  assert.match((late as Error).message, /after finish/);
  assert.equal(parseZip(await bytes).entries.map((e) => e.content.equals(text)), [true]);
});

writer('the consumer going away fails the entry instead of hanging', async ({ noise }) => {
  const w = createZipWriter({ highWaterMark: 64 * 1024 });
  let sourceDestroyed = false;
  const source = sourceOf(noise);
  source.on('close', () => (sourceDestroyed = true));
  const entry = w.addEntry({ name: 'n.bin', size: noise.length, method: 'store', source });
  w.output.once('data', () => w.output.destroy());
  const err = await withDeadline(entry.catch((e: unknown) => e), DEADLINE_MS, 'the entry to fail');
  assert.is((err as { code?: string }).code, 'ABORTED');
  assert.ok(sourceDestroyed, 'the source is released');
});

writer('abort() stops an entry that waits on its source', async () => {
  const w = createZipWriter();
  void collect(w.output).catch(() => undefined);
  const stalled = new Readable({ read() {} });
  stalled.push(Buffer.from('partial'));
  const entry = w.addEntry({ name: 'slow.bin', size: 100, method: 'deflate', source: stalled });
  setImmediate(() => w.abort());
  const err = await withDeadline(entry.catch((e: unknown) => e), DEADLINE_MS, 'the entry to fail');
  assert.is((err as { code?: string }).code, 'ABORTED');
  assert.ok(stalled.destroyed);
});

writer('abort() after finish leaves the finished archive alone', async () => {
  const w = createZipWriter();
  const bytes = collect(w.output);
  await w.addEntry({ name: 'a.txt', size: 5, method: 'deflate', source: sourceOf('hello') });
  await w.finish();
  w.abort();
  assert.equal(parseZip(await bytes).entries.map((e) => e.content.toString()), ['hello']);
});

writer.run();
