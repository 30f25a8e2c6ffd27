/**
 * ZIP record writers (APPNOTE 6.3.10): local and central headers, data descriptors, ZIP64
 * fields, the end records, DOS times, and the byte-counting output stream. The zipper's
 * streaming writer and the reporter's XLSX package (ECMA-376 Part 2 is a ZIP) both build on
 * these, so the format is written in one place.
 */
export {
  type EntryRecord,
  type ZipMethod,
  VERSION_MADE_BY,
  centralFileHeader,
  dataDescriptor,
  localFileHeader,
} from './zip-headers.js';
export { createCentralDirectory } from './central-directory.js';
export { centralDirectoryTrailer, needsZip64End } from './zip-trailer.js';
export { createZipOutput, type ZipOutput } from './zip-output.js';
export { type DosDateTime, fromDosDateTime, toDosDateTime, unixSeconds } from './dos-time.js';
export {
  DEFLATE_GROWTH_MARGIN,
  VERSION_ZIP64,
  ZIP64_MARK_16,
  ZIP64_MARK_32,
  exceeds32,
  needsZip64LocalHeader,
  readUInt64LE,
  writeUInt64LE,
  zip64ExtraField,
} from './zip64.js';
