import { ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { IncompleteUpload, ObjectInfo } from '../ports/object-store.js';
import { badInput } from '../errors.js';
import { toS3PipelineError } from './s3-errors.js';
import { unquote } from './s3-upload.js';

/** ListObjectsV2 returns at most 1,000 keys per page, which is also its default. */
const MAX_PAGE_SIZE = 1000;

/**
 * Every object under `prefix` in key order (S3 sorts by the UTF-8 bytes of the key),
 * following continuation tokens; `startAfter` skips keys up to and including it.
 */
export async function* listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  { pageSize = MAX_PAGE_SIZE, startAfter }: { pageSize?: number; startAfter?: string } = {},
): AsyncGenerator<ObjectInfo> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw badInput(`page size must be 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`, { pageSize });
  }
  let continuationToken: string | undefined;
  do {
    const page = await client
      .send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          MaxKeys: pageSize,
          ...(continuationToken === undefined && startAfter !== undefined ? { StartAfter: startAfter } : {}),
          ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
        }),
      )
      .catch((err: unknown) => {
        throw toS3PipelineError(err, { operation: 'ListObjectsV2', bucket, key: prefix });
      });
    for (const item of page.Contents ?? []) {
      if (item.Key === undefined) continue;
      yield {
        key: item.Key,
        size: item.Size ?? 0,
        ...(item.ETag === undefined ? {} : { etag: unquote(item.ETag) }),
        ...(item.LastModified === undefined ? {} : { lastModified: item.LastModified }),
      };
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
}

/** Multipart uploads under `prefix` that were neither completed nor aborted, every page. */
export async function listMultipartUploads(client: S3Client, bucket: string, prefix: string): Promise<IncompleteUpload[]> {
  const uploads: IncompleteUpload[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client
      .send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          Prefix: prefix,
          ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }),
          ...(uploadIdMarker === undefined ? {} : { UploadIdMarker: uploadIdMarker }),
        }),
      )
      .catch((err: unknown) => {
        throw toS3PipelineError(err, { operation: 'ListMultipartUploads', bucket, key: prefix });
      });
    for (const upload of page.Uploads ?? []) {
      if (upload.Key === undefined || upload.UploadId === undefined) continue;
      uploads.push({
        key: upload.Key,
        uploadId: upload.UploadId,
        ...(upload.Initiated === undefined ? {} : { initiated: upload.Initiated }),
      });
    }
    // A truncated page without markers would loop for ever: treat it as the last.
    if (!page.IsTruncated || (page.NextKeyMarker === undefined && page.NextUploadIdMarker === undefined)) return uploads;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}
