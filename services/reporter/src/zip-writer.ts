/**
 * The one door from the reporter to the ZIP record writers (an XLSX is a ZIP, ECMA-376
 * Part 2). They live in packages/shared/src/zip/, shared with the
 * zipper's streaming writer.
 *
 * The reporter uses the records, not `createZipWriter`: that writer needs each entry's exact
 * size before its first byte (APPNOTE 4.4.9 in its local header), and a sheet's XML length is
 * only known once the last row is written. xlsx-package.ts streams such entries with a data
 * descriptor (APPNOTE 4.3.9) and keeps the central directory with these same functions.
 */
export {
  type EntryRecord,
  type ZipOutput,
  VERSION_ZIP64,
  centralDirectoryTrailer,
  createCentralDirectory,
  createZipOutput,
  dataDescriptor,
  exceeds32,
  localFileHeader,
  toDosDateTime,
  unixSeconds,
} from '@artifact-pipeline/shared/zip/index';
