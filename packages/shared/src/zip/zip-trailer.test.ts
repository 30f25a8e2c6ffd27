import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { centralDirectoryTrailer, needsZip64End } from './zip-trailer.js';

const needs = suite('needsZip64End');

needs('is a function', () => assert.type(needsZip64End, 'function'));

needs('only when a classic end-record field would overflow', () => {
  assert.is(needsZip64End({ entries: 65534, offset: 0xfffffffe, size: 0xfffffffe }), false);
  assert.is(needsZip64End({ entries: 65535, offset: 0, size: 0 }), true);
  assert.is(needsZip64End({ entries: 1, offset: 0xffffffff, size: 46 }), true);
  assert.is(needsZip64End({ entries: 1, offset: 0, size: 0xffffffff }), true);
});

needs.run();

const trailer = suite('centralDirectoryTrailer');

trailer('a small archive gets only the 22-byte end record (APPNOTE 4.3.16)', () => {
  const b = centralDirectoryTrailer({ entries: 3, offset: 1000, size: 180 });
  assert.is(b.length, 22);
  assert.equal(
    [b.readUInt32LE(0), b.readUInt16LE(4), b.readUInt16LE(6), b.readUInt16LE(8), b.readUInt16LE(10), b.readUInt32LE(12), b.readUInt32LE(16), b.readUInt16LE(20)],
    [0x06054b50, 0, 0, 3, 3, 180, 1000, 0],
  );
});

trailer('70,000 entries beyond 4 GiB: ZIP64 end record, locator, then a marked end record', () => {
  const location = { entries: 70_000, offset: 5 * 2 ** 30, size: 4_200_000 };
  const b = centralDirectoryTrailer(location);
  assert.is(b.length, 56 + 20 + 22);
  // ZIP64 end of central directory record, 4.3.14
  assert.is(b.readUInt32LE(0), 0x06064b50);
  assert.is(b.readBigUInt64LE(4), 44n, 'size of the record after this field');
  assert.equal([b.readUInt16LE(12), b.readUInt16LE(14)], [0x033f, 45]);
  assert.equal([b.readUInt32LE(16), b.readUInt32LE(20)], [0, 0]);
  assert.equal([b.readBigUInt64LE(24), b.readBigUInt64LE(32)], [70_000n, 70_000n]);
  assert.equal([b.readBigUInt64LE(40), b.readBigUInt64LE(48)], [4_200_000n, BigInt(5 * 2 ** 30)]);
  // locator, 4.3.15: points at the record just written, which follows the directory
  assert.equal([b.readUInt32LE(56), b.readUInt32LE(60)], [0x07064b50, 0]);
  assert.is(b.readBigUInt64LE(64), BigInt(5 * 2 ** 30 + 4_200_000));
  assert.is(b.readUInt32LE(72), 1, 'total disks');
  // end record: the count and offset overflow and are marked, the size fits and stays
  assert.equal([b.readUInt32LE(76), b.readUInt16LE(84), b.readUInt16LE(86)], [0x06054b50, 0xffff, 0xffff]);
  assert.equal([b.readUInt32LE(88), b.readUInt32LE(92)], [4_200_000, 0xffffffff]);
});

trailer.run();
