/**
 * A streaming ZIP writer for entries whose sizes are known before they are written (S3
 * lists them), producing archives that Python's zipfile, Info-ZIP, 7-Zip, libarchive
 * (seekable and streaming) and Java's ZipFile all read, of any size (ZIP64).
 * docs/zip-format.md says which APPNOTE choices we make and why.
 */
import type { Readable } from 'node:stream';
import { ErrorCode, PipelineError, badInput, toPipelineError } from '@artifact-pipeline/shared';
import { createCentralDirectory } from '@artifact-pipeline/shared/zip/index';
import { SOURCE_CHANGED, writeEntryData } from './entry-data.js';
import { planEntry } from './entry-plan.js';
import { checkEntryInput } from './entry-input-check.js';
import { type ZipMethod, dataDescriptor, localFileHeader } from '@artifact-pipeline/shared/zip/index';
import type { ZipEntryInput, ZipEntryResult, ZipSummary, ZipWriter, ZipWriterOptions } from './zip-writer-types.js';
import { createZipOutput } from '@artifact-pipeline/shared/zip/index';
import { centralDirectoryTrailer, needsZip64End } from '@artifact-pipeline/shared/zip/index';
import { exceeds32 } from '@artifact-pipeline/shared/zip/index';

export type { ZipEntryInput, ZipEntryResult, ZipSummary, ZipWriter, ZipWriterOptions } from './zip-writer-types.js';

export function createZipWriter({ deflateLevel = 6, highWaterMark, clock = () => new Date() }: ZipWriterOptions = {}): ZipWriter {
  if (!Number.isInteger(deflateLevel) || deflateLevel < 0 || deflateLevel > 9) {
    throw badInput(`deflateLevel must be a whole number from 0 to 9, got ${deflateLevel}`);
  }
  const controller = new AbortController();
  const output = createZipOutput({ ...(highWaterMark ? { highWaterMark } : {}), onClose: (err) => controller.abort(err) });
  const directory = createCentralDirectory();
  let state: 'ready' | 'writing' | 'finished' | 'failed' = 'ready';
  let failure: PipelineError | undefined;
  let anyZip64 = false;

  function begin(what: string): void {
    if (state === 'failed' && failure) throw failure;
    if (state !== 'ready') {
      const why = state === 'finished' ? 'after finish()' : 'while another entry is being written: entries go one at a time';
      throw new PipelineError(`${what} ${why}`, {
        code: ErrorCode.INTERNAL,
        retriable: false,
      });
    }
    state = 'writing';
  }

  function fail(err: unknown): PipelineError {
    const error = toPipelineError(controller.signal.aborted ? controller.signal.reason : err);
    if (state !== 'failed') {
      state = 'failed';
      failure = error;
      controller.abort(error);
      output.fail(error);
    }
    return failure ?? error;
  }

  async function write(entry: ZipEntryInput, directoryEntry: boolean): Promise<ZipEntryResult> {
    const name = checkEntryInput(entry, directoryEntry);
    const record = planEntry({
      name,
      directory: directoryEntry,
      size: entry.size,
      method: entry.method,
      mtime: entry.mtime ?? clock(),
      crc32: entry.crc32,
      offset: output.bytesWritten,
    });
    const { method, zip64Local, offset } = record;
    await output.write(localFileHeader(record));
    const data = await writeEntryData({
      name: entry.name,
      method,
      size: entry.size,
      source: entry.source,
      deflateLevel,
      write: output.write,
      signal: controller.signal,
    });
    if (!record.dataDescriptor && data.crc32 !== record.crc32) {
      throw new PipelineError(`the CRC-32 of "${entry.name}" is not the one given: the source changed`, {
        code: SOURCE_CHANGED,
        retriable: true,
        context: { name: entry.name, expectedCrc32: record.crc32, actualCrc32: data.crc32 },
      });
    }
    if (!zip64Local && exceeds32(data.compressedSize)) {
      // Cannot happen within DEFLATE_GROWTH_MARGIN; refuse rather than write a broken archive.
      throw new PipelineError(`"${entry.name}" compressed past 4 GiB without ZIP64`, { code: ErrorCode.INTERNAL, retriable: false });
    }
    if (record.dataDescriptor) await output.write(dataDescriptor(data.crc32, data.compressedSize, data.size, zip64Local));
    const final = { ...record, crc32: data.crc32, compressedSize: data.compressedSize };
    directory.add(final);
    anyZip64 ||= zip64Local || [final.size, final.compressedSize, final.offset].some(exceeds32);
    return { name: entry.name, method, offset, size: data.size, compressedSize: data.compressedSize, crc32: data.crc32 };
  }

  /** A refused or failed entry's source is destroyed, so an S3 response is never left open. */
  function release(source: ZipEntryInput['source'] | undefined): void {
    const stream = source as { destroy?: unknown } | undefined;
    if (typeof stream?.destroy === 'function') (source as Readable).destroy();
  }

  async function run<T>(what: string, work: () => Promise<T>, next: typeof state, source?: ZipEntryInput['source']): Promise<T> {
    try {
      begin(what);
    } catch (err) {
      release(source);
      throw err;
    }
    const before = output.bytesWritten;
    try {
      const result = await work();
      state = next;
      return result;
    } catch (err) {
      release(source);
      // Bad input found before a byte was written leaves the archive as it was.
      if (output.bytesWritten === before && (err as { code?: unknown }).code === ErrorCode.INVALID_INPUT) {
        state = 'ready';
        throw err;
      }
      throw fail(err);
    }
  }

  return {
    output: output.stream,
    get bytesWritten() {
      return output.bytesWritten;
    },
    get entries() {
      return directory.entries;
    },
    addEntry: (entry) => run('addEntry', () => write(entry, false), 'ready', entry.source),
    addDirectory: (name, { mtime } = {}) =>
      run('addDirectory', () => write({ name: name.endsWith('/') ? name : `${name}/`, size: 0, method: 'store', source: [], ...(mtime ? { mtime } : {}) }, true), 'ready'),
    finish: () =>
      run('finish', async () => {
        const location = { entries: directory.entries, offset: output.bytesWritten, size: directory.size };
        for (const block of directory.blocks()) await output.write(block);
        await output.write(centralDirectoryTrailer(location));
        output.end();
        return { entries: location.entries, bytesWritten: output.bytesWritten, zip64: anyZip64 || needsZip64End(location) };
      }, 'finished'),
    abort(reason) {
      if (state === 'finished') return; // every byte is out; the upload has its own abort
      fail(reason ?? new PipelineError('the archive was aborted', { code: ErrorCode.ABORTED, retriable: true }));
    },
  };
}
