/**
 * The per-entry records of a ZIP file, byte for byte as PKWARE's APPNOTE 6.3.x lays them
 * out: local file header (4.3.7), data descriptor (4.3.9), central directory file header
 * (4.3.12). All integers are little-endian (4.4.1.1).
 */
import type { DosDateTime } from './dos-time.js';
import { ZIP64_MARK_32, exceeds32, writeUInt64LE, zip64ExtraField } from './zip64.js';

export const LOCAL_FILE_HEADER_SIGNATURE = 0x04034b50;
export const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;
export const CENTRAL_FILE_HEADER_SIGNATURE = 0x02014b50;
/** Info-ZIP Extended Timestamp extra field (APPNOTE 4.6.1, third-party mappings). */
export const EXTENDED_TIMESTAMP_ID = 0x5455;

/** General purpose bit 3: CRC and sizes follow the data in a data descriptor (4.4.4). */
export const FLAG_DATA_DESCRIPTOR = 0x0008;
/** General purpose bit 11: name (and comment) are UTF-8 (4.4.4, appendix D). */
export const FLAG_UTF8 = 0x0800;

/** Compression method codes (4.4.5). */
export const METHOD_CODE = { store: 0, deflate: 8 } as const;
export type ZipMethod = keyof typeof METHOD_CODE;

/**
 * "Version made by" (4.4.2): upper byte 3 = UNIX, so readers apply the mode bits in the
 * external attributes; lower byte 63 = the APPNOTE version we follow (6.3).
 */
export const VERSION_MADE_BY = (3 << 8) | 63;

/** External attributes (4.4.15): Unix mode in the high 16 bits, MS-DOS bits in the low. */
const EXTERNAL_ATTRS_FILE = (0o100644 << 16) >>> 0;
const EXTERNAL_ATTRS_DIRECTORY = ((0o40755 << 16) | 0x10) >>> 0;

/** Everything the three records say about one entry. */
export interface EntryRecord {
  /** The entry name as UTF-8 bytes; directories end with '/' (4.4.17.1). */
  name: Buffer;
  method: ZipMethod;
  directory: boolean;
  /** Bit 3: CRC (and the final sizes) follow the data in a data descriptor. */
  dataDescriptor: boolean;
  /** ZIP64 extra with both sizes in the local header, 8-byte sizes in the descriptor. */
  zip64Local: boolean;
  /** Version needed to extract (4.4.3): 10, 20 for deflate or folders, 45 for ZIP64. */
  versionNeeded: number;
  dos: DosDateTime;
  /** For the 0x5455 field; undefined leaves the field out. */
  unixTime: number | undefined;
  /** In the local header: the CRC if known up front, else 0 (with bit 3). */
  crc32: number;
  /** In the local header: the compressed size if known up front, else 0 (with bit 3). */
  compressedSize: number;
  size: number;
  /** Offset of the local header from the start of the archive. */
  offset: number;
}

function flagsOf(record: EntryRecord): number {
  return FLAG_UTF8 | (record.dataDescriptor ? FLAG_DATA_DESCRIPTOR : 0);
}

function extendedTimestamp(unixTime: number | undefined): Buffer {
  if (unixTime === undefined) return Buffer.alloc(0);
  const field = Buffer.alloc(9);
  field.writeUInt16LE(EXTENDED_TIMESTAMP_ID, 0);
  field.writeUInt16LE(5, 2);
  field.writeUInt8(0x01, 4); // only the modification time is present
  field.writeUInt32LE(unixTime, 5);
  return field;
}

/** Local file header (4.3.7) followed by the name and the extra fields. */
export function localFileHeader(record: EntryRecord): Buffer {
  const extra = Buffer.concat([
    record.zip64Local ? zip64ExtraField([record.size, record.compressedSize]) : Buffer.alloc(0),
    extendedTimestamp(record.unixTime),
  ]);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_FILE_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(record.versionNeeded, 4);
  header.writeUInt16LE(flagsOf(record), 6);
  header.writeUInt16LE(METHOD_CODE[record.method], 8);
  header.writeUInt16LE(record.dos.time, 10);
  header.writeUInt16LE(record.dos.date, 12);
  header.writeUInt32LE(record.crc32 >>> 0, 14);
  header.writeUInt32LE(record.zip64Local ? ZIP64_MARK_32 : record.compressedSize, 18);
  header.writeUInt32LE(record.zip64Local ? ZIP64_MARK_32 : record.size, 22);
  header.writeUInt16LE(record.name.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, record.name, extra]);
}

/**
 * Data descriptor (4.3.9) with its optional signature, which we always write: libarchive's
 * streaming reader finds the end of a stored entry by it, and 7-Zip checks it. Sizes are
 * 8 bytes exactly when the local header carried the ZIP64 extra (4.3.9.2).
 */
export function dataDescriptor(crc32: number, compressedSize: number, size: number, zip64: boolean): Buffer {
  const out = Buffer.alloc(zip64 ? 24 : 16);
  out.writeUInt32LE(DATA_DESCRIPTOR_SIGNATURE, 0);
  out.writeUInt32LE(crc32 >>> 0, 4);
  if (zip64) {
    writeUInt64LE(out, compressedSize, 8);
    writeUInt64LE(out, size, 16);
  } else {
    out.writeUInt32LE(compressedSize, 8);
    out.writeUInt32LE(size, 12);
  }
  return out;
}

/**
 * Central directory file header (4.3.12) with the final CRC and sizes. Each of size,
 * compressed size and offset that does not fit 32 bits is marked and moved into one ZIP64
 * extra (4.5.3), in that order and only those.
 */
export function centralFileHeader(record: EntryRecord): Buffer {
  const big = [record.size, record.compressedSize, record.offset].filter(exceeds32);
  const extra = Buffer.concat([
    big.length > 0 ? zip64ExtraField(big) : Buffer.alloc(0),
    extendedTimestamp(record.unixTime),
  ]);
  const mark = (value: number): number => (exceeds32(value) ? ZIP64_MARK_32 : value);
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_FILE_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  header.writeUInt16LE(record.versionNeeded, 6);
  header.writeUInt16LE(flagsOf(record), 8);
  header.writeUInt16LE(METHOD_CODE[record.method], 10);
  header.writeUInt16LE(record.dos.time, 12);
  header.writeUInt16LE(record.dos.date, 14);
  header.writeUInt32LE(record.crc32 >>> 0, 16);
  header.writeUInt32LE(mark(record.compressedSize), 20);
  header.writeUInt32LE(mark(record.size), 24);
  header.writeUInt16LE(record.name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  header.writeUInt16LE(0, 32); // comment length
  header.writeUInt16LE(0, 34); // disk number start
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE(record.directory ? EXTERNAL_ATTRS_DIRECTORY : EXTERNAL_ATTRS_FILE, 38);
  header.writeUInt32LE(mark(record.offset), 42);
  return Buffer.concat([header, record.name, extra]);
}
