/** The streaming ZIP writer and the rules that feed it, for the zipper service. */
export { createZipWriter } from './zip-writer.js';
export type { ZipEntryInput, ZipEntryResult, ZipSummary, ZipWriter, ZipWriterOptions } from './zip-writer.js';
export type { ZipMethod } from '@artifact-pipeline/shared/zip/index';
export { SOURCE_CHANGED } from './entry-data.js';
export { chooseMethod } from './compression-choice.js';
export type { CompressionMode } from './compression-choice.js';
export { entryName } from './entry-names.js';
export type { EntryNameResult, RenameReason, SkipReason } from './entry-names.js';
export { createNameAllocator } from './name-allocator.js';
export type { NameAllocator, NameAllocatorOptions, NameDecision } from './name-allocator.js';
export { archiveSizeBound } from './archive-size.js';
export type { PlannedEntry } from './archive-size.js';
