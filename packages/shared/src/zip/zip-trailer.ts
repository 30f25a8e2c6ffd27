/**
 * What follows the central directory: the ZIP64 end of central directory record (APPNOTE
 * 4.3.14) and its locator (4.3.15) when needed, then the classic end record (4.3.16).
 */
import { VERSION_MADE_BY } from './zip-headers.js';
import { VERSION_ZIP64, ZIP64_MARK_16, ZIP64_MARK_32, exceeds32, writeUInt64LE } from './zip64.js';

export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
export const ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06064b50;
export const ZIP64_END_LOCATOR_SIGNATURE = 0x07064b50;

export interface CentralDirectoryLocation {
  /** Number of central directory records. */
  entries: number;
  /** Offset of the first central directory record from the start of the archive. */
  offset: number;
  /** Total bytes of the central directory records. */
  size: number;
}

/**
 * ZIP64 end records are needed when a classic end-record field would overflow: more than
 * 65,534 entries (0xFFFF is the mark), or a directory offset or size at or past 4 GiB − 1.
 */
export function needsZip64End({ entries, offset, size }: CentralDirectoryLocation): boolean {
  return entries >= ZIP64_MARK_16 || exceeds32(offset) || exceeds32(size);
}

/** The bytes after the central directory, given where it starts and how big it is. */
export function centralDirectoryTrailer(location: CentralDirectoryLocation): Buffer {
  const zip64 = needsZip64End(location);
  const parts: Buffer[] = [];
  if (zip64) {
    const zip64EndOffset = location.offset + location.size;
    parts.push(zip64EndRecord(location), zip64EndLocator(zip64EndOffset));
  }
  parts.push(endRecord(location));
  return Buffer.concat(parts);
}

function zip64EndRecord({ entries, offset, size }: CentralDirectoryLocation): Buffer {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  // "size of zip64 end of central directory record": the bytes after this field (4.3.14.1)
  writeUInt64LE(record, 56 - 12, 4);
  record.writeUInt16LE(VERSION_MADE_BY, 12);
  record.writeUInt16LE(VERSION_ZIP64, 14);
  record.writeUInt32LE(0, 16); // number of this disk
  record.writeUInt32LE(0, 20); // disk where the central directory starts
  writeUInt64LE(record, entries, 24); // entries on this disk
  writeUInt64LE(record, entries, 32); // entries in total
  writeUInt64LE(record, size, 40);
  writeUInt64LE(record, offset, 48);
  return record;
}

function zip64EndLocator(zip64EndOffset: number): Buffer {
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(ZIP64_END_LOCATOR_SIGNATURE, 0);
  locator.writeUInt32LE(0, 4); // disk with the ZIP64 end record
  writeUInt64LE(locator, zip64EndOffset, 8);
  locator.writeUInt32LE(1, 16); // total number of disks
  return locator;
}

/**
 * The classic end record. A field too small for its value holds the mark and the ZIP64
 * record has it (4.4.1.4); fields that fit keep their value, which every reader accepts.
 */
function endRecord({ entries, offset, size }: CentralDirectoryLocation): Buffer {
  const count = entries >= ZIP64_MARK_16 ? ZIP64_MARK_16 : entries;
  const record = Buffer.alloc(22);
  record.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  record.writeUInt16LE(0, 4); // number of this disk
  record.writeUInt16LE(0, 6); // disk where the central directory starts
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(exceeds32(size) ? ZIP64_MARK_32 : size, 12);
  record.writeUInt32LE(exceeds32(offset) ? ZIP64_MARK_32 : offset, 16);
  record.writeUInt16LE(0, 20); // comment length
  return record;
}
