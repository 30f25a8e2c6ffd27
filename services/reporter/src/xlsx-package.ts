/**
 * The ZIP container of a workbook, written front to back with parts whose length is not
 * known until they end (a sheet of streamed rows): each part is deflated (APPNOTE 4.4.5
 * method 8) with bit 3 set and a data descriptor after the data (4.3.9), and the central
 * directory is written at the end. Records come from the zipper's writer (zip-writer.ts).
 *
 * Parts stay below 4 GiB (the sheet writer rolls over well before), so no part needs ZIP64
 * in its local header — Excel has been known to complain about that; a package past 4 GiB
 * gets ZIP64 offsets in the central directory, as the shared records do by themselves.
 */
import type { Readable } from 'node:stream';
import { crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';
import { ErrorCode, PipelineError, toPipelineError } from '@artifact-pipeline/shared';
import {
  VERSION_ZIP64, centralDirectoryTrailer, createCentralDirectory, createZipOutput, dataDescriptor, exceeds32,
  localFileHeader, toDosDateTime, unixSeconds, type EntryRecord,
} from './zip-writer.js';

/** Largest part, in uncompressed bytes: 4 GiB less 64 MiB, so sizes fit the 32-bit descriptor fields. */
export const MAX_PART_BYTES = 0xffffffff - 64 * 1024 * 1024;

export interface PartWriter {
  /** Uncompressed bytes written to the part so far. */
  readonly size: number;
  /** Appends text (UTF-8); waits while the package's reader is behind. */
  write(text: string): Promise<void>;
  /** Ends the part: flushes the deflater, writes the data descriptor. */
  close(): Promise<void>;
}

export interface XlsxPackage {
  /** The package bytes; pipe them to the upload. */
  readonly output: Readable;
  readonly bytesWritten: number;
  /** Starts a part; write it and close it before opening the next. */
  openPart(name: string): Promise<PartWriter>;
  /** A whole part at once. */
  addPart(name: string, text: string): Promise<void>;
  /** Writes the central directory and ends the output. */
  finish(): Promise<{ bytesWritten: number; parts: number }>;
  /** Destroys the output (and so the upload reading it) with `reason`. */
  abort(reason: unknown): void;
}

export interface XlsxPackageOptions {
  /** zlib level 0–9. Default 3: sheet XML is repetitive, and level 6 costs twice the time for ~10 % less. */
  deflateLevel?: number;
  /** Modification time of the parts. Default now. */
  mtime?: Date;
}

export function createXlsxPackage({ deflateLevel = 3, mtime = new Date() }: XlsxPackageOptions = {}): XlsxPackage {
  const output = createZipOutput();
  const directory = createCentralDirectory();
  let failure: Error | undefined;

  async function openPart(name: string): Promise<PartWriter> {
    if (failure) throw failure;
    const offset = output.bytesWritten;
    const record: EntryRecord = {
      name: Buffer.from(name, 'utf8'),
      method: 'deflate',
      directory: false,
      dataDescriptor: true,
      zip64Local: false,
      versionNeeded: exceeds32(offset) ? VERSION_ZIP64 : 20,
      dos: toDosDateTime(mtime),
      unixTime: unixSeconds(mtime),
      crc32: 0,
      compressedSize: 0,
      size: 0,
      offset,
    };
    await output.write(localFileHeader(record));
    const deflate: DeflateRaw = createDeflateRaw({ level: deflateLevel });
    let crc = 0;
    let size = 0;
    let compressedSize = 0;
    // The deflater's output goes on only as fast as the package is read: when the reader is
    // behind, output.write waits, the deflater's buffer fills and write() below waits for drain.
    const pump = (async () => {
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        compressedSize += chunk.length;
        await output.write(chunk);
      }
    })();
    pump.catch((err: unknown) => {
      failure ??= toPipelineError(err);
      deflate.destroy();
    });
    return {
      get size() {
        return size;
      },
      async write(text) {
        if (failure) throw failure;
        const bytes = Buffer.from(text, 'utf8');
        size += bytes.length;
        if (size > MAX_PART_BYTES) throw new PipelineError(`part ${name} passed ${MAX_PART_BYTES} bytes`, { code: ErrorCode.INTERNAL, retriable: false });
        crc = crc32(bytes, crc);
        if (!deflate.write(bytes)) await drained(deflate);
        if (failure) throw failure;
      },
      async close() {
        deflate.end();
        await pump;
        if (failure) throw failure;
        await output.write(dataDescriptor(crc >>> 0, compressedSize, size, false));
        directory.add({ ...record, crc32: crc >>> 0, compressedSize, size });
      },
    };
  }

  return {
    output: output.stream,
    get bytesWritten() {
      return output.bytesWritten;
    },
    openPart,
    async addPart(name, text) {
      const part = await openPart(name);
      await part.write(text);
      await part.close();
    },
    async finish() {
      if (failure) throw failure;
      const location = { entries: directory.entries, offset: output.bytesWritten, size: directory.size };
      for (const block of directory.blocks()) await output.write(block);
      await output.write(centralDirectoryTrailer(location));
      output.end();
      return { bytesWritten: output.bytesWritten, parts: location.entries };
    },
    abort(reason) {
      failure ??= toPipelineError(reason);
      output.fail(failure);
    },
  };
}

/** Resolves on 'drain', or on 'close' when the deflater was destroyed because the output failed. */
function drained(deflate: DeflateRaw): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      deflate.off('drain', done);
      deflate.off('close', done);
      resolve();
    };
    deflate.on('drain', done);
    deflate.on('close', done);
  });
}
