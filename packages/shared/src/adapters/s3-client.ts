import { S3Client } from '@aws-sdk/client-s3';

/** Settings for the S3 adapter; everything but the region is optional (AWS defaults apply). */
export interface S3ConnectionOptions {
  region: string;
  /** e.g. moto's http://127.0.0.1:5055; unset = the AWS endpoint for the region. */
  endpoint?: string;
  /** Path-style URLs (`/bucket/key`), needed by moto and most S3 look-alikes. Default false. */
  forcePathStyle?: boolean;
  /** Static keys; unset = the SDK's default chain (env, IRSA web identity, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * Tries per S3 call, the first included, by the SDK's standard retry strategy (throttling,
   * 5xx, resets, with backoff). Default 4: one more than the SDK's 3, because a job that
   * fails here is retried again only at message level, seconds later.
   */
  maxAttempts?: number;
}

export interface S3Clients {
  /** For every call the adapter makes. */
  client: S3Client;
  /**
   * For presigning only: `requestChecksumCalculation: 'WHEN_REQUIRED'`, because with the
   * SDK's default ('WHEN_SUPPORTED') a presigned PUT carries the CRC32 of an empty body, and
   * S3 rejects the upload of any other body (../shared/INFRA.md).
   */
  presigner: S3Client;
  destroy(): void;
}

export function createS3Clients({
  region,
  endpoint,
  forcePathStyle = false,
  credentials,
  maxAttempts = 4,
}: S3ConnectionOptions): S3Clients {
  const common = {
    region,
    forcePathStyle,
    maxAttempts,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  };
  const client = new S3Client(common);
  const presigner = new S3Client({ ...common, requestChecksumCalculation: 'WHEN_REQUIRED' });
  return {
    client,
    presigner,
    destroy() {
      client.destroy();
      presigner.destroy();
    },
  };
}
