/**
 * The multipart calls around s3-upload.ts's part loop: starting an upload (CRC32 declared,
 * as the parts carry it) and aborting one that failed until S3 confirms it is gone.
 */
import { AbortMultipartUploadCommand, ChecksumAlgorithm, CreateMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../logger.js';
import { retry } from '../retry.js';
import { isMissingObject } from './s3-errors.js';

export async function createUpload(
  client: S3Client,
  bucket: string,
  key: string,
  headers: { ContentType?: string; ContentDisposition?: string },
  abortSignal: AbortSignal,
): Promise<string> {
  const created = await client.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: ChecksumAlgorithm.CRC32, ...headers }),
    { abortSignal },
  );
  if (!created.UploadId) throw new Error('S3 answered CreateMultipartUpload without an UploadId');
  return created.UploadId;
}

/** Sends AbortMultipartUpload until S3 confirms the upload is gone (NoSuchUpload counts). */
export async function abortLeftover(client: S3Client, logger: Logger, bucket: string, key: string, uploadId: string): Promise<void> {
  try {
    await retry(
      () =>
        client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch((err: unknown) => {
          if (!isMissingObject(err)) throw err;
        }),
      { attempts: 3, budgetMs: 10_000 },
    );
  } catch (err) {
    // The upload stays listed by listIncompleteUploads; the caller's sweep (or a bucket
    // lifecycle rule) removes it. Worth a warning, not worth hiding the original error.
    logger.warn({ err, bucket, key, uploadId }, 'could not abort a failed multipart upload');
  }
}
