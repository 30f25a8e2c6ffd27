/**
 * The central directory (APPNOTE 4.3.12) is only written at the end, so its records are
 * the one part of an archive that must be kept: about 46 + name + 9 (+ up to 28 for ZIP64)
 * bytes per entry. They are packed into 64 KiB blocks as they come, rather than kept as one
 * Buffer or object per entry (each of which would cost ~100 bytes more of heap).
 */
import { type EntryRecord, centralFileHeader } from './zip-headers.js';

/** Default block size for the packed records, in bytes. */
const BLOCK_BYTES = 64 * 1024;

export interface CentralDirectory {
  /** Appends the finished entry's record. */
  add(record: EntryRecord): void;
  /** Records so far. */
  readonly entries: number;
  /** Bytes of all records so far. */
  readonly size: number;
  /** The records in order, in blocks of at most `blockBytes` (longer only for a huge name). */
  blocks(): Buffer[];
}

export function createCentralDirectory({ blockBytes = BLOCK_BYTES }: { blockBytes?: number } = {}): CentralDirectory {
  const full: Buffer[] = [];
  let current = Buffer.allocUnsafe(blockBytes);
  let used = 0;
  let entries = 0;
  let size = 0;

  return {
    add(record) {
      const bytes = centralFileHeader(record);
      if (used + bytes.length > current.length) {
        if (used > 0) full.push(current.subarray(0, used));
        current = Buffer.allocUnsafe(Math.max(blockBytes, bytes.length));
        used = 0;
      }
      bytes.copy(current, used);
      used += bytes.length;
      entries += 1;
      size += bytes.length;
    },
    get entries() {
      return entries;
    },
    get size() {
      return size;
    },
    blocks() {
      return used > 0 ? [...full, current.subarray(0, used)] : [...full];
    },
  };
}
