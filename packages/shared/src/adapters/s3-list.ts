import { ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { IncompleteUpload, ObjectInfo } from '../ports/object-store.js';
import { ErrorCode, PipelineError, badInput } from '../errors.js';
import { toS3PipelineError } from './s3-errors.js';
import { unquote } from './s3-upload.js';

/** ListObjectsV2 returns at most 1,000 keys per page, which is also its default. */
const MAX_PAGE_SIZE = 1000;

/**
 * Every list call asks for `EncodingType: 'url'`. Without it S3 writes keys raw into XML,
 * and XML 1.0 cannot carry every key: end-of-line handling (XML 1.0 §2.11) turns a carriage
 * return into a line feed, and U+0001 or U+FFFE are not allowed characters at all. The key
 * then comes back altered, and a GET for it finds nothing.
 */
const URL_ENCODING = 'url';

/**
 * A key, prefix or marker from a page that says it is URL-encoded: percent-encoded UTF-8,
 * with '+' for a space as S3 writes it (a '+' in a key comes as %2B). Values of a page
 * without `EncodingType` (a store that ignored the request) are taken as they are.
 */
export function decodeListValue(value: string, encodingType: string | undefined, operation: string): string {
  if (encodingType !== URL_ENCODING) return value;
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch (err) {
    throw new PipelineError(`${operation} returned a key that is not valid URL encoding: ${JSON.stringify(value.slice(0, 200))}`, {
      code: ErrorCode.INTERNAL,
      retriable: false,
      cause: err,
    });
  }
}

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
          EncodingType: URL_ENCODING,
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
        key: decodeListValue(item.Key, page.EncodingType, 'ListObjectsV2'),
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
          EncodingType: URL_ENCODING,
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
        key: decodeListValue(upload.Key, page.EncodingType, 'ListMultipartUploads'),
        uploadId: upload.UploadId,
        ...(upload.Initiated === undefined ? {} : { initiated: upload.Initiated }),
      });
    }
    // A truncated page without markers would loop for ever: treat it as the last.
    if (!page.IsTruncated || (page.NextKeyMarker === undefined && page.NextUploadIdMarker === undefined)) return uploads;
    // The next request takes the marker as a plain key, so it is decoded like the keys.
    keyMarker = page.NextKeyMarker === undefined ? undefined : decodeListValue(page.NextKeyMarker, page.EncodingType, 'ListMultipartUploads');
    uploadIdMarker = page.NextUploadIdMarker;
  }
}
