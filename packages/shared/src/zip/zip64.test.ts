import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFLATE_GROWTH_MARGIN, exceeds32, needsZip64LocalHeader, readUInt64LE, writeUInt64LE, zip64ExtraField } from './zip64.js';

const exceeds = suite('exceeds32');

exceeds('is a function', () => assert.type(exceeds32, 'function'));

exceeds('all ones is the ZIP64 mark, so it already counts as too big', () => {
  assert.is(exceeds32(0xfffffffe), false);
  assert.is(exceeds32(0xffffffff), true);
  assert.is(exceeds32(2 ** 40), true);
});

exceeds.run();

const local = suite('needsZip64LocalHeader');

local('stored entries need it from 0xFFFFFFFF bytes', () => {
  assert.is(needsZip64LocalHeader(0xfffffffe, 'store'), false);
  assert.is(needsZip64LocalHeader(0xffffffff, 'store'), true);
  assert.is(needsZip64LocalHeader(4 * 2 ** 30 + 2 ** 20, 'store'), true);
});

local('deflated entries need it within the growth margin of the limit', () => {
  const edge = 0xffffffff - DEFLATE_GROWTH_MARGIN;
  assert.is(needsZip64LocalHeader(edge - 1, 'deflate'), false);
  assert.is(needsZip64LocalHeader(edge, 'deflate'), true);
  assert.ok(DEFLATE_GROWTH_MARGIN > Math.ceil(2 ** 32 / 4096 + 2 ** 32 / 16384 + 2 ** 32 / 2 ** 25 + 13), 'above zlib deflateBound growth at 4 GiB');
});

local.run();

const u64 = suite('writeUInt64LE');

u64('round-trips sizes up to 2^53 − 1 as little-endian bytes', () => {
  const b = Buffer.alloc(8);
  for (const value of [0, 1, 0xffffffff, 2 ** 32, 5 * 2 ** 30 + 123, Number.MAX_SAFE_INTEGER]) {
    assert.is(writeUInt64LE(b, value, 0), 8);
    assert.is(b.readBigUInt64LE(0), BigInt(value));
    assert.is(readUInt64LE(b, 0), value);
  }
});

u64('refuses what is not a size', () => {
  const b = Buffer.alloc(8);
  assert.throws(() => writeUInt64LE(b, -1, 0), RangeError);
  assert.throws(() => writeUInt64LE(b, 1.5, 0), RangeError);
  assert.throws(() => writeUInt64LE(b, 2 ** 53, 0), RangeError);
});

u64.run();

const extra = suite('zip64ExtraField');

extra('is tag 0x0001, a length, then one 8-byte value per marked field', () => {
  const field = zip64ExtraField([2 ** 33, 7]);
  assert.equal([field.readUInt16LE(0), field.readUInt16LE(2), field.length], [1, 16, 20]);
  assert.equal([field.readBigUInt64LE(4), field.readBigUInt64LE(12)], [2n ** 33n, 7n]);
});

extra.run();
