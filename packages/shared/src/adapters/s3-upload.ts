import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import { AbortMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ErrorCode, PipelineError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PutOptions } from '../ports/object-store.js';
import { checkPartSize, choosePartSize } from '../part-size.js';
import { retry } from '../retry.js';
import { isMissingObject, toS3PipelineError } from './s3-errors.js';

/**
 * Parts uploaded at once. One upload holds about (queueSize + 1) × partSize of body: queueSize
 * parts in flight plus the one being filled — 40 MiB with the 8 MiB default part. Measured on
 * Node 20 against moto, peak RSS grows by 90–145 MiB whatever the size (64 MiB to 1.5 GiB):
 * lib-storage copies each part once (Buffer.concat) and the GC frees parts late.
 */
export const UPLOAD_QUEUE_SIZE = 4;

/** Counts the bytes that pass, so `put` can report the size of a body of unknown length. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/**
 * Streams `body` to s3://bucket/key: one PutObject when it fits in a part, multipart otherwise.
 *
 * A failure (the body errors, S3 refuses a part, or `signal` aborts) rejects only after the
 * multipart upload is aborted, so nothing is left behind to bill. On abort this destroys the
 * stream Upload reads instead of calling `upload.abort()`: abort() settles done() at once while
 * parts are still in flight and AbortMultipartUpload has not been sent (lib-storage 3.1169);
 * a failed read takes Upload's own failure path, which waits for the parts in flight (at most
 * queueSize) and then aborts. As a backstop the abort is sent again here with retries.
 */
export async function uploadObject(
  client: S3Client,
  logger: Logger,
  bucket: string,
  key: string,
  body: Readable,
  options: PutOptions = {},
): Promise<{ size: number; etag?: string }> {
  const where = { operation: 'PutObject', bucket, key };
  const { signal, onProgress } = options;
  const partSize = options.partSize === undefined ? choosePartSize(options.expectedSize) : checkPartSize(options.partSize);
  if (signal?.aborted) throw aborted(where, signal);

  const counter = new ByteCounter();
  // pipeline passes a body error on to counter (Upload sees it) and destroys body when
  // counter is destroyed; the callback only keeps the error from going unhandled.
  pipeline(body, counter, () => undefined);
  const upload = new Upload({
    client,
    params: {
      Bucket: bucket,
      Key: key,
      Body: counter,
      ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
      ...(options.contentDisposition === undefined ? {} : { ContentDisposition: options.contentDisposition }),
    },
    partSize,
    queueSize: UPLOAD_QUEUE_SIZE,
    leavePartsOnError: false,
  });
  if (onProgress) upload.on('httpUploadProgress', (p) => p.loaded !== undefined && onProgress(p.loaded));
  const onAbort = (): void => {
    counter.destroy(aborted(where, signal));
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const result = await upload.done();
    return { size: counter.bytes, ...(result.ETag === undefined ? {} : { etag: unquote(result.ETag) }) };
  } catch (err) {
    // S3 refused (say, a missing bucket) while the body may still have data: release it.
    counter.destroy();
    if (upload.uploadId !== undefined) await abortLeftover(client, logger, bucket, key, upload.uploadId);
    if (signal?.aborted) throw aborted(where, signal);
    throw toS3PipelineError(err, where);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Sends AbortMultipartUpload until S3 confirms the upload is gone (NoSuchUpload counts). */
async function abortLeftover(client: S3Client, logger: Logger, bucket: string, key: string, uploadId: string): Promise<void> {
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

function aborted(where: { bucket: string; key: string }, signal: AbortSignal | undefined): PipelineError {
  return new PipelineError(`upload of s3://${where.bucket}/${where.key} aborted`, {
    code: ErrorCode.ABORTED,
    retriable: true,
    cause: signal?.reason,
    context: where,
  });
}

/** S3 returns ETags in double quotes (RFC 9110 entity-tag syntax); the port carries the bare value. */
export function unquote(etag: string): string {
  return etag.replace(/^(W\/)?"(.*)"$/, '$2');
}
