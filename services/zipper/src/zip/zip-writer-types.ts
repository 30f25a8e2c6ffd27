/**
 * What the zipper hands the ZIP writer and what it gets back (zip-writer.ts).
 */
import type { Readable } from 'node:stream';
import type { ZipMethod } from '@artifact-pipeline/shared/zip/index';

export interface ZipWriterOptions {
  /** zlib level for deflated entries, 0 (fastest) to 9 (smallest). Default 6, zlib's own. */
  deflateLevel?: number;
  /** Bytes buffered for the consumer before `addEntry` waits. Default 256 KiB. */
  highWaterMark?: number;
  /** Modification time of entries that give none. Default: the current time. */
  clock?: () => Date;
}

export interface ZipEntryInput {
  /** The name in the archive, as a NameAllocator made it: relative, '/'-separated. */
  name: string;
  /** The exact uncompressed size in bytes (S3's ContentLength); the source must match it. */
  size: number;
  /** 'store' keeps the bytes as they are; a 0-byte entry is always stored. */
  method: ZipMethod;
  /** The entry's bytes; a Node Readable (such as an S3 GetObject body) or any async iterable. */
  source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  mtime?: Date;
  /**
   * The CRC-32 if already known (e.g. S3's full-object CRC32 checksum). A stored entry then
   * needs no data descriptor, which Java's ZipInputStream requires. It is checked.
   */
  crc32?: number;
}

export interface ZipEntryResult {
  name: string;
  method: ZipMethod;
  /** Offset of the entry's local header in the archive. */
  offset: number;
  size: number;
  compressedSize: number;
  crc32: number;
}

export interface ZipSummary {
  entries: number;
  bytesWritten: number;
  /** Whether any ZIP64 structure was needed. */
  zip64: boolean;
}

export interface ZipWriter {
  /** The archive's bytes. Read it (pipe it to the upload) or the writer waits. */
  readonly output: Readable;
  readonly bytesWritten: number;
  readonly entries: number;
  /** Writes one entry; call again only after it settles. A rejection fails the archive. */
  addEntry(entry: ZipEntryInput): Promise<ZipEntryResult>;
  /** Writes a folder entry ('name/'), e.g. for an empty folder. */
  addDirectory(name: string, options?: { mtime?: Date }): Promise<ZipEntryResult>;
  /** Writes the central directory and ends the output; resolves once all bytes are handed on. */
  finish(): Promise<ZipSummary>;
  /** Stops the writer: the output and the current source are destroyed with `reason`. */
  abort(reason?: unknown): void;
}
