/**
 * An upper bound on the archive's size before it is written, so the multipart upload can
 * pick a part size that fits S3's 10,000 parts (a fixed 5 MiB part tops out near 48.8 GiB),
 * and progress can be reported against a known total.
 */
import type { ZipMethod } from '@artifact-pipeline/shared/zip/index';

export interface PlannedEntry {
  /** The entry name as it will be written (folders end with '/'). */
  name: string;
  size: number;
  method: ZipMethod;
}

/** Largest per-entry overhead besides the name (twice) and the data, in bytes. */
const ENTRY_OVERHEAD =
  30 + 20 + 9 + // local header, ZIP64 extra (two sizes), extended timestamp
  24 + // data descriptor with 8-byte sizes
  46 + 28 + 9; // central header, ZIP64 extra (three values), extended timestamp
/** ZIP64 end record, locator and classic end record. */
const TRAILER = 56 + 20 + 22;

/**
 * The most raw deflate turns `size` bytes into, at any level. zlib's deflateBound for
 * Node's defaults (windowBits 15, memLevel 8) is n + n/4096 + n/16384 + n/2^25 + 7, or
 * 0.0305 %; measured through Node's streams, incompressible data written in 1,000-byte
 * chunks came out a hair above it (0.0307 %). We allow 1/2048 (0.049 %) plus 4 KiB.
 */
export function deflatedSizeBound(size: number): number {
  return size + Math.ceil(size / 2048) + 4096;
}

/** At most this many bytes for an archive of `entries`; usually within 0.1 % of the real size for stored data. */
export function archiveSizeBound(entries: Iterable<PlannedEntry>): number {
  let total = TRAILER;
  for (const entry of entries) {
    const data = entry.size === 0 || entry.method === 'store' ? entry.size : deflatedSizeBound(entry.size);
    total += ENTRY_OVERHEAD + 2 * Buffer.byteLength(entry.name, 'utf8') + data;
  }
  return total;
}
