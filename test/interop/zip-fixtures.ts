/**
 * Writes test archives to disk with the zipper's writer, hashing every entry's bytes as
 * they are generated, so readers can be checked byte for byte without keeping the data.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ZipSummary, type ZipWriterOptions, createZipWriter } from '../../services/zipper/src/zip/index.js';

export interface FileSpec {
  name: string;
  method: 'store' | 'deflate';
  size: number;
  /** The content, in chunks that add up to `size`. */
  chunks: () => Iterable<Buffer>;
  crc32?: number;
}

export interface FolderSpec {
  folder: string;
}

export interface ExpectedEntry {
  name: string;
  directory: boolean;
  size: number;
  sha256: string;
}

export interface BuiltArchive {
  file: string;
  entries: ExpectedEntry[];
  summary: ZipSummary;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** Content as one buffer. */
export function bytes(content: Buffer | string): Pick<FileSpec, 'size' | 'chunks'> {
  const buffer = Buffer.from(content);
  return { size: buffer.length, chunks: () => [buffer] };
}

/** `size` bytes of `block` repeated, yielded block by block (no memory beyond the block). */
export function repeated(block: Buffer, size: number): Pick<FileSpec, 'size' | 'chunks'> {
  return {
    size,
    *chunks() {
      for (let at = 0; at < size; at += block.length) yield at + block.length <= size ? block : block.subarray(0, size - at);
    },
  };
}

export async function writeArchive(
  file: string,
  specs: Iterable<FileSpec | FolderSpec>,
  options: ZipWriterOptions = {},
): Promise<BuiltArchive> {
  const writer = createZipWriter(options);
  const written = pipeline(writer.output, createWriteStream(file));
  written.catch(() => undefined); // awaited below; a writer failure shows there too
  const entries: ExpectedEntry[] = [];
  for (const spec of specs) {
    if ('folder' in spec) {
      const result = await writer.addDirectory(spec.folder);
      entries.push({ name: result.name, directory: true, size: 0, sha256: EMPTY_SHA256 });
      continue;
    }
    const hash = createHash('sha256');
    const chunks = spec.chunks;
    function* hashed(): Generator<Buffer> {
      for (const chunk of chunks()) {
        hash.update(chunk);
        yield chunk;
      }
    }
    await writer.addEntry({
      name: spec.name,
      size: spec.size,
      method: spec.method,
      source: Readable.from(hashed(), { objectMode: false }),
      ...(spec.crc32 === undefined ? {} : { crc32: spec.crc32 }),
    });
    entries.push({ name: spec.name, directory: false, size: spec.size, sha256: hash.digest('hex') });
  }
  const summary = await writer.finish();
  await written;
  return { file, entries, summary };
}
