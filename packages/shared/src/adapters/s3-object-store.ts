import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ErrorCode, PipelineError, badInput } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { ByteRange, ObjectInfo, ObjectStore } from '../ports/object-store.js';
import { contentDisposition } from '../content-disposition.js';
import { createS3Clients, type S3ConnectionOptions } from './s3-client.js';
import { bucketExists, ensureBucket, pingS3, removeBucket } from './s3-bucket.js';
import { isMissingObject, toS3PipelineError } from './s3-errors.js';
import { listMultipartUploads, listObjects } from './s3-list.js';
import { presignLifetimeSeconds } from './presign-lifetime.js';
import { unquote, uploadObject } from './s3-upload.js';

export interface S3ObjectStoreOptions extends S3ConnectionOptions {
  logger?: Logger;
  /** Bucket `ping()` checks with HeadBucket; unset = ListBuckets (needs s3:ListAllMyBuckets). */
  pingBucket?: string;
  /** With pingBucket: `ping()` lists one key under this prefix instead (what a service's role may do). */
  pingPrefix?: string;
}

/** The S3 ObjectStore, plus what tests and tooling need around it. */
export interface S3ObjectStore extends ObjectStore {
  /** Empties and deletes a bucket (tests, tear-down); a missing bucket is fine. */
  removeBucket(bucket: string): Promise<void>;
  /** Closes the SDK clients' sockets. */
  close(): Promise<void>;
}

/** SigV4 presigned URLs live at most 7 days (604,800 s). */
const MAX_PRESIGN_SECONDS = 604_800;

export function createS3ObjectStore({ logger = silentLogger(), pingBucket, pingPrefix, ...connection }: S3ObjectStoreOptions): S3ObjectStore {
  const { client, presigner, destroy } = createS3Clients(connection);

  async function head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        key,
        size: out.ContentLength ?? 0,
        ...(out.ETag === undefined ? {} : { etag: unquote(out.ETag) }),
        ...(out.LastModified === undefined ? {} : { lastModified: out.LastModified }),
        ...(out.ContentType === undefined ? {} : { contentType: out.ContentType }),
      };
    } catch (err) {
      if (!isMissingObject(err)) throw toS3PipelineError(err, { operation: 'HeadObject', bucket, key });
      // HEAD's 404 has no body: the same answer for a missing key and a missing bucket.
      if (await bucketExistsOrHidden(client, bucket)) return undefined;
      throw new PipelineError(`bucket ${bucket} does not exist`, {
        code: ErrorCode.SOURCE_NOT_FOUND,
        retriable: false,
        context: { operation: 'HeadObject', bucket, key },
      });
    }
  }

  async function get(bucket: string, key: string, range?: ByteRange): Promise<Readable> {
    const where = { operation: 'GetObject', bucket, key };
    try {
      const out = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(range === undefined ? {} : { Range: rangeHeader(range) }) }),
      );
      if (out.Body instanceof Readable) return out.Body;
      throw new PipelineError('S3 returned a body that is not a Node stream', { code: ErrorCode.INTERNAL, retriable: false, context: where });
    } catch (err) {
      throw toS3PipelineError(err, where);
    }
  }

  /** Capped at the signing credentials' expiration (presign-lifetime.ts). */
  async function presignLifetime(requestedSeconds: number): Promise<number> {
    const identity = await presigner.config.credentials();
    return presignLifetimeSeconds(requestedSeconds, identity.expiration, new Date());
  }

  function expiry(seconds: number): number {
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
      throw badInput(`presigned URLs live 1 to ${MAX_PRESIGN_SECONDS} seconds, got ${seconds}`, { expiresInSeconds: seconds });
    }
    return seconds;
  }

  return {
    list: (bucket, prefix, options) => listObjects(client, bucket, prefix, options),
    head,
    get,
    put: (bucket, key, body, options) => uploadObject(client, logger, bucket, key, body, options),
    async delete(bucket, key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch((err: unknown) => {
        throw toS3PipelineError(err, { operation: 'DeleteObject', bucket, key });
      });
    },
    async presignGet(bucket, key, { expiresInSeconds, fileName }) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(fileName === undefined ? {} : { ResponseContentDisposition: contentDisposition(fileName) }),
      });
      return getSignedUrl(presigner, command, { expiresIn: await presignLifetime(expiry(expiresInSeconds)) });
    },
    presignLifetime,
    async presignPut(bucket, key, { expiresInSeconds, contentType }) {
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(contentType === undefined ? {} : { ContentType: contentType }),
      });
      return getSignedUrl(presigner, command, { expiresIn: expiry(expiresInSeconds) });
    },
    listIncompleteUploads: (bucket, prefix) => listMultipartUploads(client, bucket, prefix),
    async abortIncompleteUpload(bucket, upload) {
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.key, UploadId: upload.uploadId }))
        .catch((err: unknown) => {
          // NoSuchUpload: already aborted or completed, which is what the caller wanted.
          if (isMissingObject(err)) return;
          throw toS3PipelineError(err, { operation: 'AbortMultipartUpload', bucket, key: upload.key });
        });
    },
    ensureBucket: (bucket) => ensureBucket(client, connection.region, bucket),
    ping: () => pingS3(client, pingBucket, pingPrefix),
    removeBucket: (bucket) => removeBucket(client, bucket),
    async close() {
      destroy();
    },
  };
}

/**
 * A role scoped to prefixes holds no s3:ListBucket on the whole bucket, so HeadBucket answers
 * 403 there; S3 answered the HEAD of the key with 404, so the bucket exists.
 */
async function bucketExistsOrHidden(client: Parameters<typeof bucketExists>[0], bucket: string): Promise<boolean> {
  try {
    return await bucketExists(client, bucket);
  } catch (err) {
    if ((err as { code?: unknown }).code === ErrorCode.ACCESS_DENIED) return true;
    throw err;
  }
}

/** RFC 9110 §14.1.2 byte range: `bytes=start-end`, both inclusive; open-ended without `end`. */
function rangeHeader({ start, end }: ByteRange): string {
  if (!Number.isInteger(start) || start < 0 || (end !== undefined && (!Number.isInteger(end) || end < start))) {
    throw badInput(`invalid byte range ${start}-${end ?? ''}`, { start, end });
  }
  return `bytes=${start}-${end ?? ''}`;
}
