import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createCentralDirectory } from './central-directory.js';
import { type EntryRecord, centralFileHeader } from './zip-headers.js';

const record = (i: number): EntryRecord => ({
  name: Buffer.from(`folder/file-${i}.txt`),
  method: 'deflate',
  directory: false,
  dataDescriptor: true,
  zip64Local: false,
  versionNeeded: 20,
  dos: { date: 22621, time: 28079 },
  unixTime: 1709214330,
  crc32: i,
  compressedSize: i * 3,
  size: i * 7,
  offset: i * 100,
});

const cd = suite('createCentralDirectory');

cd('is a function', () => assert.type(createCentralDirectory, 'function'));

cd('keeps every record, in order, packed in blocks', () => {
  const directory = createCentralDirectory({ blockBytes: 1000 });
  const expected: Buffer[] = [];
  for (let i = 0; i < 200; i++) {
    directory.add(record(i));
    expected.push(centralFileHeader(record(i)));
  }
  const blocks = directory.blocks();
  assert.is(directory.entries, 200);
  assert.is(directory.size, Buffer.concat(expected).length);
  assert.ok(Buffer.concat(blocks).equals(Buffer.concat(expected)));
  assert.ok(blocks.length > 1 && blocks.every((b) => b.length <= 1000));
});

cd('an empty directory has no blocks', () => {
  const directory = createCentralDirectory();
  assert.equal([directory.entries, directory.size, directory.blocks().length], [0, 0, 0]);
});

cd('a record bigger than a block gets a block of its own', () => {
  const directory = createCentralDirectory({ blockBytes: 100 });
  directory.add({ ...record(1), name: Buffer.alloc(500, 0x61) });
  directory.add(record(2));
  const blocks = directory.blocks();
  assert.is(blocks.length, 2);
  assert.is(blocks[0]!.length, 46 + 500 + 9);
});

cd.run();
