import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ErrorCode, PipelineError, errorCode } from '../errors.js';
import { listMultipartUploads, listObjects } from './s3-list.js';
import { toS3PipelineError } from './s3-errors.js';

/** True if the bucket exists and we may use it; false if it does not exist; throws otherwise. */
export async function bucketExists(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (err) {
    // HEAD answers have no body, so the SDK names a 404 'NotFound' and a 403 'Forbidden'.
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || errorCode(err) === 'NoSuchBucket') return false;
    throw toS3PipelineError(err, { operation: 'HeadBucket', bucket });
  }
}

/**
 * Creates the bucket unless it exists. Outside us-east-1 S3 needs the region as the
 * LocationConstraint (CreateBucket API reference). Racing creators are fine:
 * BucketAlreadyOwnedByYou counts as success.
 */
export async function ensureBucket(client: S3Client, region: string, bucket: string): Promise<void> {
  if (await bucketExists(client, bucket)) return;
  try {
    await client.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  } catch (err) {
    if (errorCode(err) === 'BucketAlreadyOwnedByYou') return;
    throw toS3PipelineError(err, { operation: 'CreateBucket', bucket });
  }
}

/** DeleteObjects takes at most 1,000 keys per call. */
const DELETE_BATCH = 1000;

/**
 * Keys DeleteObjects cannot name: its request is XML, which has no carriage return (XML 1.0
 * §2.11 reads it as a line feed) and no other character outside XML 1.0 §2.2 `Char`. Those
 * are deleted one by one, with the key in the URL.
 */
const NOT_XML_SAFE = /[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Empties the bucket (objects and unfinished multipart uploads) and deletes it. For tests and
 * tear-down tooling: the pipeline never deletes buckets. A missing bucket is not an error.
 */
export async function removeBucket(client: S3Client, bucket: string): Promise<void> {
  if (!(await bucketExists(client, bucket))) return;
  try {
    for (const upload of await listMultipartUploads(client, bucket, '')) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.key, UploadId: upload.uploadId }));
    }
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const objects = batch.map((Key) => ({ Key }));
      batch = [];
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    };
    for await (const object of listObjects(client, bucket, '')) {
      if (NOT_XML_SAFE.test(object.key)) {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.key }));
        continue;
      }
      batch.push(object.key);
      if (batch.length === DELETE_BATCH) await flush();
    }
    await flush();
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (err) {
    throw toS3PipelineError(err, { operation: 'RemoveBucket', bucket });
  }
}

/**
 * Reachability and credentials. With `prefix` (what services use for /readyz): ListObjectsV2
 * of at most one key under it, the one S3 call each role holds for its own prefix
 * (aws-permissions.ts READINESS_PROBES) — HeadBucket would need s3:ListBucket on the whole
 * bucket. Without a prefix: HeadBucket on `bucket`; without a bucket: ListBuckets (tooling).
 */
export async function pingS3(client: S3Client, bucket?: string, prefix?: string): Promise<void> {
  if (bucket !== undefined && prefix !== undefined) {
    try {
      await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
      return;
    } catch (err) {
      throw toS3PipelineError(err, { operation: 'ListObjectsV2', bucket, key: prefix });
    }
  }
  if (bucket !== undefined) {
    if (await bucketExists(client, bucket)) return;
    throw new PipelineError(`bucket ${bucket} does not exist`, {
      code: ErrorCode.SOURCE_NOT_FOUND,
      retriable: false,
      context: { bucket },
    });
  }
  await client.send(new ListBucketsCommand({ MaxBuckets: 1 })).catch((err: unknown) => {
    throw toS3PipelineError(err, { operation: 'ListBuckets', bucket: '*' });
  });
}
