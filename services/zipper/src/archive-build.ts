/**
 * Streams the planned entries from S3 through the ZIP writer into one multipart upload
 * ("Streaming"): GET → ZIP writer → ObjectStore.put, with backpressure all the
 * way, so memory stays flat whatever the archive's size. Any failure or abort destroys the
 * writer's output, which makes the upload abort its multipart upload before `put` settles;
 * we wait for that before rethrowing, so nothing is left behind to bill.
 */
import { ErrorCode, PipelineError, contentDisposition, isPipelineError, toPipelineError, type ObjectStore } from '@artifact-pipeline/shared';
import type { ArchivePlan } from './archive-plan.js';
import { type ManifestFacts, manifestDocument } from './manifest.js';
import { fetchInOrder } from './prefetcher.js';
import type { SkippedKey } from './source-listing.js';
import { SOURCE_CHANGED, createZipWriter } from './zip/index.js';

/** Code of the failure when an object's bytes differ from its listed size while being read. */
export const OBJECT_CHANGED = 'OBJECT_CHANGED';

export interface ArchiveProgress {
  bytesDone: number;
  bytesTotal: number;
  itemsDone: number;
  itemsTotal: number;
}

export interface BuildArchiveOptions {
  objects: ObjectStore;
  plan: ArchivePlan;
  /** Where the archive goes. */
  target: { bucket: string; key: string; fileName: string };
  /** Job id and source, for manifest.json. */
  manifest: Pick<ManifestFacts, 'jobId' | 'source'>;
  onProgress?: (progress: ArchiveProgress) => void;
  prefetch?: { maxBytesAhead?: number; maxObjectsAhead?: number };
  deflateLevel?: number;
  signal: AbortSignal;
  clock?: () => Date;
}

export interface BuiltArchive {
  /** Bytes uploaded. */
  size: number;
  /** Entries written, manifest.json included. */
  entries: number;
  bytesIn: number;
  manifest: ManifestFacts;
}

export async function buildArchive(options: BuildArchiveOptions): Promise<BuiltArchive> {
  const { objects, plan, target, signal, onProgress, clock = () => new Date() } = options;
  signal.throwIfAborted();
  const writer = createZipWriter({ clock, ...(options.deflateLevel === undefined ? {} : { deflateLevel: options.deflateLevel }) });
  let uploadFailure: unknown;
  const uploading = objects.put(target.bucket, target.key, writer.output, {
    contentType: 'application/zip',
    contentDisposition: contentDisposition(target.fileName),
    expectedSize: plan.expectedSize,
    signal,
  });
  uploading.catch((err: unknown) => (uploadFailure ??= err));
  const onAbort = (): void => writer.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });

  const missing: SkippedKey[] = [];
  const progress: ArchiveProgress = { bytesDone: 0, bytesTotal: plan.totalBytes, itemsDone: 0, itemsTotal: plan.entries.length };
  const tell = (): void => onProgress?.({ ...progress });
  try {
    tell();
    const fetched = fetchInOrder({
      objects,
      bucket: plan.bucket,
      entries: plan.entries,
      ...options.prefetch,
      onBytes: (n) => {
        progress.bytesDone += n;
        tell();
      },
      signal,
    });
    for await (const turn of fetched) {
      const { entry } = turn;
      const mtime = entry.lastModified ?? clock();
      if (turn.missing) {
        missing.push({ key: entry.key, reason: 'not found: deleted after it was listed' });
        progress.itemsTotal--;
      } else if (entry.directory) {
        await writer.addDirectory(entry.name, { mtime });
        progress.itemsDone++;
      } else {
        await writer.addEntry({ name: entry.name, size: entry.size, method: entry.method, source: turn.body, mtime });
        progress.itemsDone++;
      }
      tell();
    }
    // A key gone by the time it was read is listed as skipped, and only that: its planned
    // new name never made it into the archive.
    const gone = new Set(missing.map((m) => m.key));
    const manifest: ManifestFacts = {
      ...options.manifest,
      included: progress.itemsDone,
      renamed: gone.size === 0 ? plan.renamed : plan.renamed.filter((r) => !gone.has(r.key)),
      skipped: [...plan.skipped, ...missing],
    };
    if (plan.manifestName !== undefined) {
      const document = manifestDocument(manifest);
      await writer.addEntry({ name: plan.manifestName, size: document.length, method: 'deflate', source: [document], mtime: clock() });
    }
    const summary = await writer.finish();
    const uploaded = await uploading;
    return { size: uploaded.size, entries: summary.entries, bytesIn: progress.bytesDone, manifest };
  } catch (err) {
    writer.abort(err);
    await uploading.catch(() => undefined); // the multipart upload is aborted once this settles
    throw explain(uploadFailure !== undefined && !signal.aborted ? uploadFailure : err, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function explain(err: unknown, signal: AbortSignal): PipelineError {
  if (signal.aborted) return toPipelineError(signal.reason);
  if (isPipelineError(err) && err.code === SOURCE_CHANGED) {
    // The local header already announced the listed size: this archive cannot be finished.
    return new PipelineError(`${err.message}; the job needs a fresh request once the source is stable`, {
      code: OBJECT_CHANGED,
      retriable: false,
      cause: err,
      context: err.context,
    });
  }
  return toPipelineError(err, ErrorCode.INTERNAL);
}
