/**
 * Streams one entry's bytes from its source into the archive: counts them, takes their
 * CRC-32 (zlib.crc32, Node ≥ 20.15) and deflates them (zlib raw deflate, APPNOTE 4.4.5
 * method 8) when asked. The source must yield exactly the size announced in the local
 * header; anything else means the object changed while we read it.
 */
import { pipeline } from 'node:stream/promises';
import { crc32 as updateCrc32, createDeflateRaw } from 'node:zlib';
import { ErrorCode, PipelineError, toPipelineError } from '@artifact-pipeline/shared';
import type { ZipMethod } from '@artifact-pipeline/shared/zip/index';

/** The code of the error for a source whose length is not the announced size. */
export const SOURCE_CHANGED = 'SOURCE_CHANGED';

export interface EntryDataOptions {
  name: string;
  method: ZipMethod;
  /** The size the local header announces, in bytes. */
  size: number;
  source: AsyncIterable<unknown> | Iterable<unknown>;
  /** zlib level for deflate, 0–9. */
  deflateLevel: number;
  /** Hands bytes to the archive; waits while its consumer is behind. */
  write: (chunk: Uint8Array) => Promise<void>;
  signal: AbortSignal;
}

export interface EntryData {
  crc32: number;
  /** Bytes read from the source. */
  size: number;
  /** Bytes written to the archive for this entry's data. */
  compressedSize: number;
}

export function sourceChanged(name: string, expected: number, actual: string): PipelineError {
  return new PipelineError(
    `the source of "${name}" gave ${actual} bytes but its size was ${expected}: it changed while being read`,
    { code: SOURCE_CHANGED, retriable: true, context: { name, expectedSize: expected, actualSize: actual } },
  );
}

export async function writeEntryData(options: EntryDataOptions): Promise<EntryData> {
  const { name, size: expected, write, signal } = options;
  let crc = 0;
  let size = 0;
  let compressedSize = 0;

  async function* measure(chunks: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      if (!(chunk instanceof Uint8Array)) {
        throw new PipelineError(`the source of "${name}" yielded ${typeof chunk}, not bytes`, {
          code: ErrorCode.INTERNAL,
          retriable: false,
        });
      }
      // Checked before the bytes go on, so a longer source never overruns the announced size.
      if (size + chunk.length > expected) throw sourceChanged(name, expected, `more than ${expected}`);
      crc = updateCrc32(chunk, crc);
      size += chunk.length;
      yield chunk;
    }
    if (size !== expected) throw sourceChanged(name, expected, String(size));
  }

  async function store(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    for await (const chunk of chunks) {
      compressedSize += chunk.length;
      await write(chunk);
    }
  }

  const source = Symbol.asyncIterator in options.source ? options.source : fromIterable(options.source);
  try {
    if (options.method === 'store') {
      await pipeline(source, measure, store, { signal });
    } else {
      const deflate = createDeflateRaw({ level: options.deflateLevel });
      await pipeline(source, measure, deflate, store, { signal });
    }
  } catch (err) {
    if (signal.aborted) throw toPipelineError(signal.reason);
    throw toPipelineError(err);
  }
  return { crc32: crc >>> 0, size, compressedSize };
}

async function* fromIterable(items: Iterable<unknown>): AsyncGenerator<unknown> {
  yield* items;
}
