/**
 * What goes into the archive ("Source"): every object under a prefix, or exactly
 * the objects of a key list, with their sizes known before a byte is written (the local
 * headers announce them, and the upload's part size is chosen from their sum).
 *
 * - Prefix: the paged listing, in key order; folder markers (keys ending in '/') stay, so
 *   empty folders survive; the rule's marker key (`_READY`) is left out. Nothing left →
 *   SOURCE_EMPTY.
 * - Key list: a HEAD per key, at most `headConcurrency` (default 16) at once, in the list's
 *   order. A missing key is skipped and recorded, a repeated key is skipped; every key
 *   missing → SOURCE_NOT_FOUND. A missing bucket is SOURCE_NOT_FOUND from the store itself.
 * - More than `maxEntries` (default 100,000, the key-list limit of DESIGN §3) → TOO_MANY_KEYS:
 *   the central directory is held in memory until the end (~100 bytes per entry).
 */
import { ErrorCode, MAX_KEYS, PipelineError, type ObjectInfo, type ObjectStore, type ZipSource } from '@artifact-pipeline/shared';

export interface SourceObject {
  key: string;
  size: number;
  lastModified?: Date;
  contentType?: string;
}

export interface SkippedKey {
  key: string;
  reason: string;
}

export interface SourceListing {
  bucket: string;
  /** The prefix names are relative to; '' for a key list. */
  prefix: string;
  objects: SourceObject[];
  skipped: SkippedKey[];
  /** Sum of the objects' sizes, in bytes. */
  totalBytes: number;
}

export interface ListSourceOptions {
  maxEntries?: number;
  headConcurrency?: number;
  signal?: AbortSignal;
}

export async function listSource(
  objects: ObjectStore,
  source: ZipSource,
  { maxEntries = MAX_KEYS, headConcurrency = 16, signal }: ListSourceOptions = {},
): Promise<SourceListing> {
  const listing =
    'prefix' in source
      ? await listPrefix(objects, source.bucket, source.prefix, source.marker, maxEntries, signal)
      : await headKeys(objects, source.bucket, source.keys, source.marker, maxEntries, headConcurrency, signal);
  if (listing.objects.length === 0) {
    const where = 'prefix' in source ? `s3://${source.bucket}/${source.prefix}` : `the ${source.keys.length} keys in s3://${source.bucket}`;
    const none = 'prefix' in source;
    throw new PipelineError(none ? `nothing to zip: no objects under ${where}` : `nothing to zip: none of ${where} exist`, {
      code: none ? ErrorCode.SOURCE_EMPTY : ErrorCode.SOURCE_NOT_FOUND,
      retriable: false,
      context: { bucket: source.bucket, skipped: listing.skipped.length },
    });
  }
  return listing;
}

function tooMany(bucket: string, maxEntries: number): PipelineError {
  return new PipelineError(`the source has more than ${maxEntries} objects; split the job`, {
    code: ErrorCode.TOO_MANY_KEYS,
    retriable: false,
    context: { bucket, maxEntries },
  });
}

function toSourceObject(info: ObjectInfo): SourceObject {
  return {
    key: info.key,
    size: info.size,
    ...(info.lastModified === undefined ? {} : { lastModified: info.lastModified }),
    ...(info.contentType === undefined ? {} : { contentType: info.contentType }),
  };
}

async function listPrefix(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  marker: string | undefined,
  maxEntries: number,
  signal: AbortSignal | undefined,
): Promise<SourceListing> {
  const objects: SourceObject[] = [];
  let totalBytes = 0;
  for await (const info of store.list(bucket, prefix)) {
    signal?.throwIfAborted();
    if (info.key === marker) continue;
    if (objects.length >= maxEntries) throw tooMany(bucket, maxEntries);
    objects.push(toSourceObject(info));
    totalBytes += info.size;
  }
  return { bucket, prefix, objects, skipped: [], totalBytes };
}

async function headKeys(
  store: ObjectStore,
  bucket: string,
  keys: readonly string[],
  marker: string | undefined,
  maxEntries: number,
  concurrency: number,
  signal: AbortSignal | undefined,
): Promise<SourceListing> {
  if (keys.length > maxEntries) throw tooMany(bucket, maxEntries);
  const seen = new Set<string>();
  const skipped: SkippedKey[] = [];
  const wanted: string[] = [];
  for (const key of keys) {
    if (key === marker) continue;
    if (seen.has(key)) skipped.push({ key, reason: 'repeated key' });
    else wanted.push(key);
    seen.add(key);
  }
  const found: (ObjectInfo | undefined)[] = new Array(wanted.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      signal?.throwIfAborted();
      const index = next++;
      found[index] = await store.head(bucket, wanted[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, wanted.length) }, worker));
  const objects: SourceObject[] = [];
  let totalBytes = 0;
  wanted.forEach((key, i) => {
    const info = found[i];
    if (info === undefined) skipped.push({ key, reason: 'not found' });
    else {
      objects.push(toSourceObject({ ...info, key }));
      totalBytes += info.size;
    }
  });
  return { bucket, prefix: '', objects, skipped, totalBytes };
}
