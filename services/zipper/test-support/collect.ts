/** Helpers for the ZIP writer's unit tests. */
import { Readable } from 'node:stream';
import { createZipWriter, type ZipEntryInput, type ZipWriter, type ZipWriterOptions } from '../src/zip/index.js';

/** 2024-02-29 13:45:30 UTC: DOS date 22621, DOS time 28079, Unix 1709214330. */
export const FIXED_TIME = new Date(Date.UTC(2024, 1, 29, 13, 45, 30));

/** Everything `stream` gives, once it ends. */
export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = await stream.toArray();
  return Buffer.concat(chunks);
}

/** A source yielding `bytes` in pieces of `pieceBytes`. */
export function sourceOf(bytes: Buffer | string, pieceBytes = 16 * 1024): Readable {
  const buffer = Buffer.from(bytes);
  const pieces: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += pieceBytes) pieces.push(buffer.subarray(at, at + pieceBytes));
  return Readable.from(pieces);
}

export interface FileSpec {
  name: string;
  content: Buffer | string;
  method: 'store' | 'deflate';
  crc32?: number;
}

/** Writes `files` (and folders, as names ending in '/') into one archive and returns its bytes. */
export async function buildArchive(files: readonly (FileSpec | string)[], options: ZipWriterOptions = {}): Promise<Buffer> {
  const writer: ZipWriter = createZipWriter({ clock: () => FIXED_TIME, ...options });
  const bytes = collect(writer.output);
  for (const file of files) {
    if (typeof file === 'string') {
      await writer.addDirectory(file);
      continue;
    }
    const content = Buffer.from(file.content);
    const entry: ZipEntryInput = { name: file.name, size: content.length, method: file.method, source: sourceOf(content) };
    if (file.crc32 !== undefined) entry.crc32 = file.crc32;
    await writer.addEntry(entry);
  }
  await writer.finish();
  return bytes;
}
