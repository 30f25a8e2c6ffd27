/**
 * A worker killed mid-job leaves its multipart upload open (it never got to abort it).
 * Before an attempt starts its own upload it aborts every unfinished upload under the job's
 * output prefix: the job's lease (run-job-worker.ts) guarantees no live worker is writing
 * there, so whatever is open belongs to a dead attempt. Uploads of jobs that are never
 * retried are left to the bucket's lifecycle rule (AbortIncompleteMultipartUpload).
 */
import type { Logger } from '../logger.js';
import type { ObjectStore } from '../ports/object-store.js';

/** Aborts the unfinished uploads under `prefix`; resolves to how many there were. */
export async function abortStaleUploads(objects: ObjectStore, bucket: string, prefix: string, logger: Logger): Promise<number> {
  const stale = await objects.listIncompleteUploads(bucket, prefix);
  for (const upload of stale) {
    logger.info({ key: upload.key, uploadId: upload.uploadId }, 'aborting the unfinished upload of an earlier attempt');
    await objects.abortIncompleteUpload(bucket, upload);
  }
  return stale.length;
}
