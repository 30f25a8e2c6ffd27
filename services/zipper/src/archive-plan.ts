/**
 * Everything decided before the first byte is written: each object's entry name (relative
 * to the prefix, made safe and unique by the ZIP module's NameAllocator), its method
 * (store or deflate, chooseMethod), and an upper bound of the archive's size, from which
 * the upload's part size is chosen so any archive up to S3's 5 TiB fits in 10,000 parts.
 */
import type { ZipSource } from '@artifact-pipeline/shared';
import { archiveSizeBound } from './zip/archive-size.js';
import { type CompressionMode, type RenameReason, type ZipMethod, chooseMethod, createNameAllocator } from './zip/index.js';
import type { SkippedKey, SourceListing } from './source-listing.js';

export interface ArchiveEntry {
  key: string;
  name: string;
  directory: boolean;
  size: number;
  method: ZipMethod;
  lastModified?: Date;
}

export interface RenamedKey {
  key: string;
  name: string;
  reasons: RenameReason[];
}

export interface ArchivePlan {
  bucket: string;
  entries: ArchiveEntry[];
  renamed: RenamedKey[];
  skipped: SkippedKey[];
  /** Bytes of source data to read. */
  totalBytes: number;
  /** At least the archive's final size, manifest included; for the part size. */
  expectedSize: number;
  /** The name manifest.json gets (another entry may have taken that name), when asked for. */
  manifestName?: string;
}

export interface PlanOptions {
  compression: CompressionMode;
  includeManifest: boolean;
}

export function planArchive(listing: SourceListing, { compression, includeManifest }: PlanOptions): ArchivePlan {
  const names = createNameAllocator({ prefix: listing.prefix });
  const entries: ArchiveEntry[] = [];
  const renamed: RenamedKey[] = [];
  const skipped: SkippedKey[] = [...listing.skipped];
  let totalBytes = 0;
  for (const object of listing.objects) {
    const decision = names.allocate(object.key, object.size);
    if (decision.status === 'skipped') {
      skipped.push({ key: object.key, reason: `${decision.reason}: ${decision.detail}` });
      continue;
    }
    if (decision.status === 'renamed') renamed.push({ key: object.key, name: decision.name, reasons: decision.reasons });
    entries.push({
      key: object.key,
      name: decision.name,
      directory: decision.directory,
      size: object.size,
      method: decision.directory ? 'store' : chooseMethod(object.key, object.contentType, compression),
      ...(object.lastModified === undefined ? {} : { lastModified: object.lastModified }),
    });
    totalBytes += object.size;
  }
  // Allocated last, so the sources keep their names and the manifest gives way on a clash.
  const manifest = includeManifest ? names.allocate(`${listing.prefix}manifest.json`, 1) : undefined;
  const manifestName = manifest !== undefined && manifest.status !== 'skipped' ? manifest.name : undefined;
  const planned = entries.map(({ name, size, method }) => ({ name, size, method }));
  if (manifestName !== undefined) {
    planned.push({ name: manifestName, size: manifestSizeBound(listing), method: 'deflate' });
  }
  return {
    bucket: listing.bucket,
    entries,
    renamed,
    skipped,
    totalBytes,
    expectedSize: archiveSizeBound(planned),
    ...(manifestName === undefined ? {} : { manifestName }),
  };
}

/** Generous: every key listed as renamed or skipped with its name and reasons (JSON-escaped ×2). */
function manifestSizeBound(listing: SourceListing): number {
  let bytes = 1024;
  for (const { key } of [...listing.objects, ...listing.skipped]) bytes += 4 * Buffer.byteLength(key) + 256;
  return bytes;
}

/** The source as the manifest states it. */
export function describeSource(source: ZipSource): Record<string, unknown> {
  return 'prefix' in source ? { bucket: source.bucket, prefix: source.prefix } : { bucket: source.bucket, keys: source.keys.length };
}
