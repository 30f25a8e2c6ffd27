import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32, inflateRawSync } from 'node:zlib';
import { FIXED_TIME, buildArchive } from '../../test-support/collect.js';
import { parseCentral, parseLocal, parseZip, resolveZip64 } from '../../test-support/zip-parse.js';
import { type EntryRecord, centralFileHeader, dataDescriptor, localFileHeader } from '@artifact-pipeline/shared/zip/index';

const DOS_DATE = 22621; // 2024-02-29
const DOS_TIME = 28079; // 13:45:30
const UNIX_TIME = 1709214330;

const tiny = suite('a tiny archive, byte by byte (APPNOTE 4.3.7, 4.3.9, 4.3.12, 4.3.16)');

tiny('one deflated entry has every field where APPNOTE puts it', async () => {
  const b = await buildArchive([{ name: 'a.txt', content: 'hello', method: 'deflate' }]);
  // local file header, 4.3.7
  assert.is(b.readUInt32LE(0), 0x04034b50, 'signature');
  assert.is(b.readUInt16LE(4), 20, 'version needed: 2.0 for deflate');
  assert.is(b.readUInt16LE(6), 0x0808, 'flags: bit 3 (descriptor) and bit 11 (UTF-8)');
  assert.is(b.readUInt16LE(8), 8, 'method: deflate');
  assert.is(b.readUInt16LE(10), DOS_TIME);
  assert.is(b.readUInt16LE(12), DOS_DATE);
  assert.is(b.readUInt32LE(14), 0, 'crc-32 follows in the descriptor');
  assert.is(b.readUInt32LE(18), 0, 'compressed size follows in the descriptor');
  assert.is(b.readUInt32LE(22), 5, 'the known uncompressed size');
  assert.is(b.readUInt16LE(26), 5, 'name length');
  assert.is(b.readUInt16LE(28), 9, 'extra length: the 0x5455 field');
  assert.is(b.toString('utf8', 30, 35), 'a.txt');
  assert.is(b.readUInt16LE(35), 0x5455);
  assert.is(b.readUInt16LE(37), 5);
  assert.is(b.readUInt8(39), 1, 'only mtime present');
  assert.is(b.readUInt32LE(40), UNIX_TIME);
  // data, then the data descriptor, 4.3.9
  const descriptorAt = b.indexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08]), 44);
  const compressed = b.subarray(44, descriptorAt);
  assert.is(inflateRawSync(compressed).toString(), 'hello');
  assert.is(b.readUInt32LE(descriptorAt + 4), crc32('hello'));
  assert.is(b.readUInt32LE(descriptorAt + 8), compressed.length);
  assert.is(b.readUInt32LE(descriptorAt + 12), 5);
  // central directory header, 4.3.12
  const c = descriptorAt + 16;
  assert.is(b.readUInt32LE(c), 0x02014b50);
  assert.is(b.readUInt16LE(c + 4), 0x033f, 'made by: UNIX, APPNOTE 6.3');
  assert.is(b.readUInt16LE(c + 6), 20);
  assert.is(b.readUInt16LE(c + 8), 0x0808);
  assert.is(b.readUInt16LE(c + 10), 8);
  assert.is(b.readUInt16LE(c + 12), DOS_TIME);
  assert.is(b.readUInt16LE(c + 14), DOS_DATE);
  assert.is(b.readUInt32LE(c + 16), crc32('hello'));
  assert.is(b.readUInt32LE(c + 20), compressed.length);
  assert.is(b.readUInt32LE(c + 24), 5);
  assert.is(b.readUInt16LE(c + 28), 5);
  assert.is(b.readUInt16LE(c + 30), 9);
  assert.is(b.readUInt16LE(c + 32), 0, 'comment length');
  assert.is(b.readUInt16LE(c + 34), 0, 'disk number start');
  assert.is(b.readUInt16LE(c + 36), 0, 'internal attributes');
  assert.is(b.readUInt32LE(c + 38), 0o100644 * 0x10000, 'external attributes: -rw-r--r--');
  assert.is(b.readUInt32LE(c + 42), 0, 'local header offset');
  assert.is(b.toString('utf8', c + 46, c + 51), 'a.txt');
  // end of central directory record, 4.3.16
  const e = c + 60;
  assert.is(b.length, e + 22, 'nothing after the end record');
  assert.equal([b.readUInt32LE(e), b.readUInt16LE(e + 4), b.readUInt16LE(e + 6)], [0x06054b50, 0, 0]);
  assert.equal([b.readUInt16LE(e + 8), b.readUInt16LE(e + 10)], [1, 1], 'entries');
  assert.is(b.readUInt32LE(e + 12), 60, 'central directory size');
  assert.is(b.readUInt32LE(e + 16), c, 'central directory offset');
  assert.is(b.readUInt16LE(e + 20), 0, 'comment length');
});

tiny('stored, empty, known-CRC and folder entries parse back with the right flags', async () => {
  const b = await buildArchive([
    { name: 'docs/readme.md', content: '# hi\n', method: 'store' },
    { name: 'empty.bin', content: '', method: 'deflate' },
    { name: 'known.txt', content: 'hello', method: 'store', crc32: crc32('hello') },
    'docs/empty folder/',
  ]);
  const zip = parseZip(b);
  assert.equal(zip.entries.map((e) => e.central.name), ['docs/readme.md', 'empty.bin', 'known.txt', 'docs/empty folder/']);
  const [stored, empty, known, folder] = zip.entries;
  // stored, CRC unknown: real sizes in the local header, CRC 0, bit 3, a 16-byte descriptor
  assert.equal([stored!.local.flags, stored!.local.method, stored!.local.crc32], [0x0808, 0, 0]);
  assert.equal([stored!.local.compressedSize, stored!.local.size, stored!.local.versionNeeded], [5, 5, 10]);
  assert.equal(stored!.descriptor, { signature: 0x08074b50, crc32: crc32('# hi\n'), compressedSize: 5, size: 5, length: 16 });
  // empty: stored whatever was asked, complete header, no descriptor
  assert.equal([empty!.local.flags, empty!.local.method, empty!.local.crc32, empty!.local.size], [0x0800, 0, 0, 0]);
  assert.is(empty!.descriptor, undefined);
  // a given CRC completes the stored entry's header: no bit 3, no descriptor
  assert.equal([known!.local.flags, known!.local.crc32, known!.local.size], [0x0800, crc32('hello'), 5]);
  assert.is(known!.descriptor, undefined);
  assert.is(known!.content.toString(), 'hello');
  // folder: name ends with '/', version 2.0, drwxr-xr-x plus the MS-DOS directory bit
  assert.equal([folder!.local.flags, folder!.local.versionNeeded, folder!.central.size], [0x0800, 20, 0]);
  assert.is(folder!.central.externalAttributes, 0o40755 * 0x10000 + 0x10);
  assert.is(zip.zip64End, undefined);
});

tiny.run();

const base: EntryRecord = {
  name: Buffer.from('big.bin'),
  method: 'deflate',
  directory: false,
  dataDescriptor: true,
  zip64Local: true,
  versionNeeded: 45,
  dos: { date: DOS_DATE, time: DOS_TIME },
  unixTime: undefined,
  crc32: 0,
  compressedSize: 0,
  size: 5 * 2 ** 30,
  offset: 0,
};

const zip64 = suite('ZIP64 fields (APPNOTE 4.5.3, 4.3.9.2)');

zip64('local header: both sizes marked, both in the extra, size first', () => {
  const local = parseLocal(localFileHeader(base), 0);
  assert.equal([local.compressedSize, local.size, local.versionNeeded], [0xffffffff, 0xffffffff, 45]);
  assert.is(local.extras.length, 1);
  const extra = local.extras[0]!;
  assert.is(extra.id, 0x0001);
  assert.is(extra.data.length, 16);
  assert.is(extra.data.readBigUInt64LE(0), BigInt(5 * 2 ** 30));
  assert.is(extra.data.readBigUInt64LE(8), 0n, 'compressed size unknown yet');
});

zip64('data descriptor: 24 bytes with 8-byte sizes when the local header had ZIP64', () => {
  const d = dataDescriptor(0xdeadbeef, 5 * 2 ** 30 + 7, 5 * 2 ** 30, true);
  assert.is(d.length, 24);
  assert.equal([d.readUInt32LE(0), d.readUInt32LE(4)], [0x08074b50, 0xdeadbeef]);
  assert.equal([d.readBigUInt64LE(8), d.readBigUInt64LE(16)], [BigInt(5 * 2 ** 30 + 7), BigInt(5 * 2 ** 30)]);
  assert.is(dataDescriptor(1, 2, 3, false).length, 16);
});

zip64('central header: exactly the fields that overflow are marked and extended, in order', () => {
  const cases = [
    { size: 5 * 2 ** 30, compressedSize: 2 ** 20, offset: 0, marked: [true, false, false] },
    { size: 5 * 2 ** 30, compressedSize: 5 * 2 ** 30 + 9, offset: 0, marked: [true, true, false] },
    { size: 10, compressedSize: 10, offset: 6 * 2 ** 30, marked: [false, false, true] },
    { size: 0xffffffff, compressedSize: 0xffffffff, offset: 0xffffffff, marked: [true, true, true] },
    { size: 0xfffffffe, compressedSize: 0xfffffffe, offset: 0xfffffffe, marked: [false, false, false] },
  ];
  for (const c of cases) {
    const { record } = parseCentral(centralFileHeader({ ...base, ...c }), 0);
    const marks = [record.size, record.compressedSize, record.localHeaderOffset].map((v) => v === 0xffffffff);
    assert.equal(marks, c.marked, JSON.stringify(c));
    const extra = record.extras.find((e) => e.id === 0x0001);
    const wanted = c.marked.filter(Boolean).length;
    assert.is(extra?.data.length ?? 0, 8 * wanted, 'block size matches the marks');
    assert.equal(resolveZip64(record), { size: c.size, compressedSize: c.compressedSize, offset: c.offset });
  }
});

zip64.run();
