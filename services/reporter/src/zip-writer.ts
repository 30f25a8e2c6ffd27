/**
 * The one door from the reporter to the ZIP record writers (an XLSX is a ZIP, ECMA-376
 * Part 2). They live in services/zipper/src/zip/ until they move into packages/shared/src/zip/;
 * then only the paths below change.
 *
 * The reporter uses the records, not `createZipWriter`: that writer needs each entry's exact
 * size before its first byte (APPNOTE 4.4.9 in its local header), and a sheet's XML length is
 * only known once the last row is written. xlsx-package.ts streams such entries with a data
 * descriptor (APPNOTE 4.3.9) and keeps the central directory with these same functions.
 */
export { localFileHeader, dataDescriptor, type EntryRecord } from '../../zipper/src/zip/zip-headers.js';
export { createCentralDirectory } from '../../zipper/src/zip/central-directory.js';
export { centralDirectoryTrailer } from '../../zipper/src/zip/zip-trailer.js';
export { createZipOutput, type ZipOutput } from '../../zipper/src/zip/zip-output.js';
export { toDosDateTime, unixSeconds } from '../../zipper/src/zip/dos-time.js';
export { VERSION_ZIP64, exceeds32 } from '../../zipper/src/zip/zip64.js';
