/**
 * Everything decided about an entry before its first byte is written: the local header
 * has to announce the method, whether a data descriptor follows (bit 3) and whether sizes
 * are ZIP64, so these are settled from the size known up front (see docs/zip-format.md).
 */
import { toDosDateTime, unixSeconds } from '@artifact-pipeline/shared/zip/index';
import type { EntryRecord, ZipMethod } from '@artifact-pipeline/shared/zip/index';
import { VERSION_ZIP64, exceeds32, needsZip64LocalHeader } from '@artifact-pipeline/shared/zip/index';

export interface EntryPlanInput {
  /** The checked name as UTF-8. */
  name: Buffer;
  directory: boolean;
  size: number;
  method: ZipMethod;
  mtime: Date;
  crc32?: number | undefined;
  /** Where the local header will start. */
  offset: number;
}

/** The record as the local header states it; CRC and compressed size are 0 when unknown. */
export function planEntry({ name, directory, size, method: requested, mtime, crc32, offset }: EntryPlanInput): EntryRecord {
  // Deflating nothing still costs 2 bytes and a descriptor; an empty entry is stored.
  const method: ZipMethod = size === 0 ? 'store' : requested;
  // An empty entry's CRC is 0; a stored entry with a given CRC has a complete header.
  // Everything else gets its CRC (and a deflated one its compressed size) after the data.
  const known = size === 0 || (method === 'store' && crc32 !== undefined);
  const zip64Local = needsZip64LocalHeader(size, method);
  return {
    name,
    method,
    directory,
    dataDescriptor: !known,
    zip64Local,
    versionNeeded: versionNeeded(method, directory, zip64Local || exceeds32(offset)),
    dos: toDosDateTime(mtime),
    unixTime: unixSeconds(mtime),
    crc32: known ? (crc32 ?? 0) >>> 0 : 0,
    compressedSize: method === 'store' ? size : 0,
    size,
    offset,
  };
}

/**
 * APPNOTE 4.4.3.2: 1.0 default, 2.0 for deflate and for folders, 4.5 for ZIP64. The same
 * value goes in the local and the central header, so it also covers a ZIP64 offset that
 * only the central header carries.
 */
function versionNeeded(method: ZipMethod, directory: boolean, zip64: boolean): number {
  if (zip64) return VERSION_ZIP64;
  return method === 'deflate' || directory ? 20 : 10;
}
