/**
 * The archives the reader tests write: what is in them and why. Names go through the
 * zipper's NameAllocator and methods through chooseMethod, as the zipper will do.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { chooseMethod, createNameAllocator } from '../../services/zipper/src/zip/index.js';
import { type FileSpec, type FolderSpec, bytes, repeated, writeArchive } from './zip-fixtures.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** Deterministic bytes that look random to deflate (SHA-256 in counter mode). */
function noise(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0, at = 0; at < size; i++, at += 32) createHash('sha256').update(`${seed}:${i}`).digest().copy(out, at);
  return out;
}

/** A block without the data descriptor signature, so a stored entry's end is unambiguous. */
function blockWithoutDescriptorSignature(size: number, seed: string): Buffer {
  for (let attempt = 0; ; attempt++) {
    const block = noise(size, `${seed}:${attempt}`);
    if (!block.includes(Buffer.from('PK\x07\x08', 'latin1'))) return block;
  }
}

/** Log lines that deflate to about 1 % (zlib level 6 runs at ~225 MB/s on them). */
function logBlock(size: number): Buffer {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < size; i++) {
    const line = `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z INFO zipper wrote entry ${i % 100} of batch\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, size);
}

/** A small archive of our own, with data descriptors inside: stored, it contains 'PK\7\8'. */
async function innerZip(): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'inner-zip-'));
  try {
    const file = path.join(dir, 'inner.zip');
    await writeArchive(file, [
      { name: 'x.txt', method: 'store', ...bytes('inner stored\n') },
      { name: 'y.txt', method: 'deflate', ...bytes('inner deflated\n'.repeat(50)) },
    ]);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** (a) A batch as a user uploads it: folders, unicode and spaces, empty things, both methods. */
export async function nestedTree(): Promise<(FileSpec | FolderSpec)[]> {
  const prefix = 'inbox/alice/batch-1/';
  const inner = await innerZip();
  const known = Buffer.from('id,name\n1,ä\n2,ö\n');
  const objects: { key: string; content?: Buffer | string; method?: 'store' }[] = [
    { key: 'readme.txt', content: 'Lorem ipsum dolor sit amet.\n'.repeat(4000) },
    { key: 'README.TXT', content: 'a second readme that differs only in case\n' },
    { key: 'docs/Ünïcödé names/日本語 ファイル.txt', content: 'こんにちは世界\n'.repeat(300) },
    { key: 'docs/with space/a file with spaces.md', content: '# Title\n\nSome *markdown*.\n', method: 'store' },
    { key: 'empty.txt', content: '' },
    { key: 'empty folder/' },
    { key: 'nested/a/b/c/d/deep.json', content: JSON.stringify({ deep: true, list: Array.from({ length: 500 }, (_, i) => i) }) },
    { key: 'media/photo.jpg', content: blockWithoutDescriptorSignature(2 * MiB + 17, 'photo') },
    { key: 'media/noise.bin', content: noise(MiB + 3, 'noise') },
    { key: 'archives/inner.zip', content: inner },
    { key: 'what?.txt', content: 'reserved character in the key\n' },
    { key: 'emoji 😀/ok.txt', content: 'fine\n' },
  ];
  const allocator = createNameAllocator({ prefix });
  const specs: (FileSpec | FolderSpec)[] = [];
  for (const object of objects) {
    const content = Buffer.from(object.content ?? '');
    const decision = allocator.allocate(prefix + object.key, content.length);
    if (decision.status === 'skipped') throw new Error(`unexpected skip of ${object.key}: ${decision.detail}`);
    if (decision.directory) {
      specs.push({ folder: decision.name });
      continue;
    }
    const method = object.method ?? chooseMethod(object.key, undefined, 'auto');
    specs.push({ name: decision.name, method, ...bytes(content) });
  }
  specs.push({ name: 'checksummed/known-crc.csv', method: 'store', crc32: crc32(known), ...bytes(known) });
  if (!inner.includes(Buffer.from('PK\x07\x08', 'latin1'))) throw new Error('the inner archive should hold descriptors');
  return specs;
}

/** (b) More entries than the classic end record can count. */
export function* manyTinyEntries(count: number): Generator<FileSpec> {
  for (let i = 0; i < count; i++) {
    yield { name: `d${i % 100}/f${i}.txt`, method: i % 2 ? 'deflate' : 'store', ...bytes(`entry ${i}\n`.repeat(1 + (i % 5))) };
  }
}

/** A small file and a folder after a big entry: their offsets need ZIP64 in the directory. */
function tail(): (FileSpec | FolderSpec)[] {
  return [{ name: 'after/small.txt', method: 'deflate', ...bytes('written past 4 GiB\n'.repeat(10)) }, { folder: 'after/folder/' }];
}

/** (c) One stored entry of 4 GiB + 1 MiB from a repeating block. */
export function oneStoredEntryOver4GiB(): (FileSpec | FolderSpec)[] {
  const block = blockWithoutDescriptorSignature(MiB, 'stored-4g');
  return [{ name: 'big/stored.bin', method: 'store', ...repeated(block, 4 * GiB + MiB) }, ...tail()];
}

/** (d) One deflated entry of 4 GiB + 1 MiB of log lines (compresses far below 4 GiB). */
export function oneDeflatedEntryOver4GiB(): (FileSpec | FolderSpec)[] {
  return [{ name: 'big/log.txt', method: 'deflate', ...repeated(logBlock(MiB), 4 * GiB + MiB) }, ...tail()];
}

/** (e) One deflated entry whose compressed size passes 4 GiB too (write it with level 0). */
export function incompressibleDeflateOver4GiB(): (FileSpec | FolderSpec)[] {
  return [{ name: 'big/noise.bin', method: 'deflate', ...repeated(noise(MiB, 'deflate0'), 4 * GiB + MiB) }, ...tail()];
}
