import type { Readable } from 'node:stream';
import {
  ChecksumAlgorithm,
  CompleteMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ErrorCode, PipelineError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PutOptions } from '../ports/object-store.js';
import { MAX_PARTS, checkPartSize, choosePartSize } from '../part-size.js';
import { toS3PipelineError } from './s3-errors.js';
import { abortLeftover, createUpload } from './s3-multipart.js';

/**
 * Parts uploaded at once. An upload holds queueSize + 1 part buffers — the parts in flight
 * and the one being filled — allocated once and reused: 25 MiB with 5 MiB parts (any total
 * up to 44 GiB), 5 × 8 MiB for a body of unknown size.
 */
export const UPLOAD_QUEUE_SIZE = 4;

/**
 * Streams `body` to s3://bucket/key: one PutObject when it fits in a part, multipart otherwise.
 *
 * Memory is the part buffers and nothing else: each chunk of the body is copied into the
 * part being filled, a full part is sent as UploadPart straight from its buffer, and the
 * buffer is refilled once S3 has it. A general-purpose uploader (lib-storage) joins each part
 * with Buffer.concat instead; measured on the zipper, those 5 MiB garbage buffers wait for a
 * full GC and took peak RSS ~90 MiB above an idle process, where these take ~25 MiB.
 * Parts carry a CRC32 (declared on CreateMultipartUpload, echoed on completion), as the SDK
 * does by default; the SDK retries a failed part from its buffer.
 *
 * A failure (the body errors, S3 refuses a part, or `signal` aborts) stops reading, cancels
 * the parts in flight, and rejects only after the multipart upload is aborted (with
 * retries), so nothing is left behind to bill.
 *
 * `maxParts` is S3's 10,000 unless a test lowers it to reach the limit with a small body.
 */
export async function uploadObject(
  client: S3Client,
  logger: Logger,
  bucket: string,
  key: string,
  body: Readable,
  options: PutOptions = {},
  maxParts: number = MAX_PARTS,
): Promise<{ size: number; etag?: string }> {
  const where = { operation: 'PutObject', bucket, key };
  const { signal, onProgress } = options;
  const partSize = options.partSize === undefined ? choosePartSize(options.expectedSize) : checkPartSize(options.partSize);
  if (signal?.aborted) {
    body.destroy();
    throw aborted(where, signal);
  }
  const headers = {
    ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
    ...(options.contentDisposition === undefined ? {} : { ContentDisposition: options.contentDisposition }),
  };
  // Cancels the requests in flight: on abort, and when one part fails.
  const cancel = new AbortController();
  const onAbort = (): void => {
    cancel.abort(signal?.reason);
    body.destroy(aborted(where, signal));
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const free: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  const parts: CompletedPart[] = [];
  let failure: unknown;
  let uploadId: string | undefined;
  let partNumber = 0;
  let size = 0;
  let uploaded = 0;

  const sendPart = (buffer: Buffer, length: number): void => {
    if (partNumber === maxParts) throw tooManyParts(where, partSize, maxParts, options.expectedSize);
    const number = ++partNumber;
    const sending = client
      .send(
        new UploadPartCommand({
          Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: number,
          Body: buffer.subarray(0, length), ContentLength: length, ChecksumAlgorithm: ChecksumAlgorithm.CRC32,
        }),
        { abortSignal: cancel.signal },
      )
      .then((result) => {
        if (!result.ETag) throw new Error(`S3 answered UploadPart ${number} without an ETag`);
        parts.push({ PartNumber: number, ETag: result.ETag, ...(result.ChecksumCRC32 ? { ChecksumCRC32: result.ChecksumCRC32 } : {}) });
        uploaded += length;
        onProgress?.(uploaded);
      })
      .catch((err: unknown) => {
        failure ??= err;
        cancel.abort();
      })
      .finally(() => {
        inFlight.delete(sending);
        free.push(buffer);
      });
    inFlight.add(sending);
  };

  let current: Buffer | undefined;
  let filled = 0;
  try {
    reading: for await (const raw of body as AsyncIterable<Buffer | Uint8Array | string>) {
      const chunk = asBuffer(raw);
      size += chunk.length;
      for (let offset = 0; offset < chunk.length; ) {
        current ??= free.pop() ?? Buffer.allocUnsafeSlow(partSize);
        const copied = chunk.copy(current, filled, offset);
        filled += copied;
        offset += copied;
        if (filled < partSize) continue;
        uploadId ??= await createUpload(client, bucket, key, headers, cancel.signal);
        sendPart(current, filled);
        current = undefined;
        filled = 0;
        while (inFlight.size >= UPLOAD_QUEUE_SIZE && failure === undefined) await Promise.race(inFlight);
        if (failure !== undefined) break reading;
      }
    }
    if (failure !== undefined) throw failure;
    if (uploadId === undefined) {
      const whole = current === undefined ? Buffer.alloc(0) : current.subarray(0, filled);
      const result = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: whole, ContentLength: filled, ...headers }), { abortSignal: cancel.signal });
      onProgress?.(size);
      return { size, ...(result.ETag === undefined ? {} : { etag: unquote(result.ETag) }) };
    }
    if (filled > 0) sendPart(current!, filled);
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (failure !== undefined) throw failure;
    parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
    const result = await client.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
      { abortSignal: cancel.signal },
    );
    return { size, ...(result.ETag === undefined ? {} : { etag: unquote(result.ETag) }) };
  } catch (err) {
    // The first failure is the one to report: cancelling the parts in flight fails them too.
    const cause = failure ?? err;
    cancel.abort();
    body.destroy();
    await Promise.allSettled([...inFlight]);
    if (uploadId !== undefined) await abortLeftover(client, logger, bucket, key, uploadId);
    if (signal?.aborted) throw aborted(where, signal);
    throw toS3PipelineError(cause, where);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** A body chunk as a Buffer without copying (a string chunk is encoded as UTF-8). */
function asBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function tooManyParts(where: { bucket: string; key: string }, partSize: number, maxParts: number, expectedSize: number | undefined): PipelineError {
  const planned = expectedSize === undefined ? 'no expected size was given' : `${expectedSize} bytes were expected`;
  return new PipelineError(`upload of s3://${where.bucket}/${where.key} outgrew S3's ${maxParts} parts of ${partSize} bytes (${planned})`, {
    code: ErrorCode.PAYLOAD_TOO_LARGE,
    retriable: false,
    context: { ...where, partSize, ...(expectedSize === undefined ? {} : { expectedSize }) },
  });
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
