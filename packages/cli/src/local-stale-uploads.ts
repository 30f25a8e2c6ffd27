/**
 * Local mode's own clean-up of unfinished uploads. In the folder store (LOCAL_DATA_DIR) a
 * put that a crash cut short leaves `.uploads/<id>.data` and `.json` behind; no bucket
 * lifecycle rule removes them there. This process is the only writer of its data folder and
 * has no job running when it starts, so every unfinished upload found at start belongs to
 * an earlier run: all are aborted. With S3 storage the bucket's
 * AbortIncompleteMultipartUpload rule (`artifacts provision`) does this instead.
 */
import type { Logger, ObjectStore } from '@artifact-pipeline/shared';

/** Aborts every unfinished upload in `bucket`; resolves to how many there were. */
export async function abortLeftoverUploads(objects: ObjectStore, bucket: string, logger: Logger): Promise<number> {
  const left = await objects.listIncompleteUploads(bucket, '');
  for (const upload of left) await objects.abortIncompleteUpload(bucket, upload);
  if (left.length > 0) logger.warn({ bucket, uploads: left.length }, 'aborted unfinished uploads an earlier run left behind');
  return left.length;
}
