/**
 * One zip job, from command to job.completed payload: clear what a dead attempt
 * left, list the source, plan names and methods, stream the archive into ARTIFACTS_BUCKET,
 * then HEAD the result and presign a GET whose Content-Disposition names the file.
 */
import type { BuildContext, BuildResult } from '@artifact-pipeline/shared/worker/run-job-worker';
import { ErrorCode, PipelineError, type EventType, type ObjectStore, type TypedEvent } from '@artifact-pipeline/shared';
import { buildArchive, type BuiltArchive } from './archive-build.js';
import { describeSource, planArchive } from './archive-plan.js';
import { manifestForEvent } from './manifest.js';
import { jobOutputPrefix } from '@artifact-pipeline/shared/worker/output-key';
import { listSource } from './source-listing.js';
import { abortStaleUploads } from '@artifact-pipeline/shared/worker/stale-uploads';
import { checkCommandSource, type SourceCheckDeps } from '@artifact-pipeline/shared/worker/source-check';

export type ZipCommand = TypedEvent<typeof EventType.zipRequested>;

export interface ZipJobOptions {
  objects: ObjectStore;
  /** The source policy, checked before the source is listed; the service always passes it. */
  sourceCheck?: SourceCheckDeps;
  artifactsBucket: string;
  /** DOWNLOAD_URL_TTL_SECONDS. */
  downloadUrlTtlSeconds: number;
  prefetch?: { maxBytesAhead?: number; maxObjectsAhead?: number };
  deflateLevel?: number;
  /** Most entries one archive may have. Default 100,000. */
  maxEntries?: number;
  /** Told about each finished archive (metrics). */
  onArchive?: (archive: BuiltArchive) => void;
  clock?: () => Date;
}

export type ZipBuild = (command: ZipCommand, context: BuildContext) => Promise<BuildResult>;

export function createZipBuild(options: ZipJobOptions): ZipBuild {
  const { objects, artifactsBucket: bucket, downloadUrlTtlSeconds: ttl, clock = () => new Date() } = options;
  return async (command, { signal, reportProgress, logger }) => {
    const { jobId, source, output, options: zipOptions } = command.data;
    if (options.sourceCheck) await checkCommandSource(options.sourceCheck, command.data);
    const prefix = jobOutputPrefix('zips', new Date(command.time), jobId);
    const key = `${prefix}${output.name}`;
    const aborted = await abortStaleUploads(objects, bucket, prefix, logger);
    const listing = await listSource(objects, source, { signal, ...(options.maxEntries ? { maxEntries: options.maxEntries } : {}) });
    const plan = planArchive(listing, {
      compression: zipOptions.compression,
      includeManifest: zipOptions.includeManifest === true,
    });
    logger.info({ entries: plan.entries.length, bytes: plan.totalBytes, skipped: plan.skipped.length, staleUploads: aborted, key }, 'zipping');
    const built = await buildArchive({
      objects,
      plan,
      target: { bucket, key, fileName: output.name },
      manifest: { jobId, source: describeSource(source) },
      onProgress: reportProgress,
      signal,
      clock,
      ...(options.prefetch ? { prefetch: options.prefetch } : {}),
      ...(options.deflateLevel === undefined ? {} : { deflateLevel: options.deflateLevel }),
    });
    options.onArchive?.(built);
    const stored = await objects.head(bucket, key);
    if (stored === undefined) {
      throw new PipelineError(`the uploaded archive s3://${bucket}/${key} is not there`, { code: ErrorCode.UNAVAILABLE, retriable: true });
    }
    const signedAt = clock().getTime();
    // Temporary credentials (IRSA) end before a long TTL: expiresAt says when the URL really dies.
    const lifetime = (await objects.presignLifetime?.(ttl)) ?? ttl;
    const downloadUrl = await objects.presignGet(bucket, key, { expiresInSeconds: lifetime, fileName: output.name });
    return {
      output: { bucket, key, size: stored.size, contentType: 'application/zip' },
      downloadUrl,
      expiresAt: new Date(signedAt + lifetime * 1000).toISOString(),
      manifest: manifestForEvent(built.manifest),
    };
  };
}
