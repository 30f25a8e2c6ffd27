import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planEntry } from './entry-plan.js';
import { DEFLATE_GROWTH_MARGIN } from '@artifact-pipeline/shared/zip/index';

const base = { name: Buffer.from('f'), directory: false, mtime: new Date(Date.UTC(2024, 0, 1)), offset: 0 };
const GiB = 2 ** 30;

const plan = suite('planEntry');

plan('is a function', () => assert.type(planEntry, 'function'));

plan('a deflated entry: descriptor, CRC and compressed size unknown, version 2.0', () => {
  const r = planEntry({ ...base, size: 100, method: 'deflate' });
  assert.equal([r.method, r.dataDescriptor, r.zip64Local, r.crc32, r.compressedSize, r.size, r.versionNeeded], ['deflate', true, false, 0, 0, 100, 20]);
});

plan('a stored entry: real sizes up front, CRC after, version 1.0', () => {
  const r = planEntry({ ...base, size: 100, method: 'store' });
  assert.equal([r.dataDescriptor, r.crc32, r.compressedSize, r.size, r.versionNeeded], [true, 0, 100, 100, 10]);
});

plan('a stored entry with a known CRC needs no descriptor', () => {
  const r = planEntry({ ...base, size: 100, method: 'store', crc32: 0xfedcba98 });
  assert.equal([r.dataDescriptor, r.crc32], [false, 0xfedcba98]);
  assert.is(planEntry({ ...base, size: 100, method: 'deflate', crc32: 1 }).dataDescriptor, true, 'deflate still needs it for its size');
});

plan('an empty entry is stored, complete and without a descriptor', () => {
  const r = planEntry({ ...base, size: 0, method: 'deflate' });
  assert.equal([r.method, r.dataDescriptor, r.crc32, r.size, r.versionNeeded], ['store', false, 0, 0, 10]);
});

plan('ZIP64 in the local header from the size known up front', () => {
  assert.is(planEntry({ ...base, size: 0xfffffffe, method: 'store' }).zip64Local, false);
  const big = planEntry({ ...base, size: 4 * GiB + 2 ** 20, method: 'store' });
  assert.equal([big.zip64Local, big.versionNeeded, big.compressedSize], [true, 45, 4 * GiB + 2 ** 20]);
  assert.is(planEntry({ ...base, size: 0xffffffff - DEFLATE_GROWTH_MARGIN, method: 'deflate' }).zip64Local, true);
  assert.is(planEntry({ ...base, size: 3 * GiB, method: 'deflate' }).zip64Local, false);
});

plan('an entry past 4 GiB of archive needs version 4.5 for its ZIP64 offset', () => {
  const r = planEntry({ ...base, size: 10, method: 'deflate', offset: 5 * GiB });
  assert.equal([r.zip64Local, r.versionNeeded, r.offset], [false, 45, 5 * GiB]);
});

plan('folders: version 2.0, no descriptor', () => {
  const r = planEntry({ ...base, name: Buffer.from('d/'), directory: true, size: 0, method: 'store' });
  assert.equal([r.directory, r.dataDescriptor, r.versionNeeded], [true, false, 20]);
});

plan('DOS and Unix times come from mtime', () => {
  const r = planEntry({ ...base, size: 1, method: 'store', mtime: new Date(Date.UTC(2024, 1, 29, 13, 45, 30)) });
  assert.equal([r.dos.date, r.dos.time, r.unixTime], [22621, 28079, 1709214330]);
});

plan.run();
