import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  lastModified?: Date;
  contentType?: string;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive; omitted = to the end. */
  end?: number;
}

export interface PutOptions {
  contentType?: string;
  contentDisposition?: string;
  /** Expected total size if known, so multipart part size can be chosen to fit 10,000 parts. */
  expectedSize?: number;
  /** Explicit part size in bytes (≥ 5 MiB); overrides the choice from expectedSize. */
  partSize?: number;
  /** Aborting the signal aborts the upload; no multipart upload is left behind. */
  signal?: AbortSignal;
  /** Called as bytes are uploaded (total uploaded so far). */
  onProgress?: (bytesUploaded: number) => void;
}

export interface PresignGetOptions {
  expiresInSeconds: number;
  /** Sets Content-Disposition: attachment with this name (RFC 5987 for non-ASCII). */
  fileName?: string;
}

export interface PresignPutOptions {
  expiresInSeconds: number;
  contentType?: string;
}

export interface IncompleteUpload {
  key: string;
  uploadId: string;
  initiated?: Date;
}

/**
 * The object storage the pipeline needs: S3 in production, a local folder in local mode.
 * Missing objects: `head` returns undefined; `get` throws a PipelineError NOT_FOUND /
 * SOURCE_NOT_FOUND (missing bucket); denied access throws ACCESS_DENIED (not retriable).
 */
export interface ObjectStore {
  /** Every object under `prefix`, in key order, following pagination. */
  list(bucket: string, prefix: string, options?: { pageSize?: number; startAfter?: string }): AsyncIterable<ObjectInfo>;
  head(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  get(bucket: string, key: string, range?: ByteRange): Promise<Readable>;
  /** Streams a body of unknown length; multipart when it is large. */
  put(bucket: string, key: string, body: Readable, options?: PutOptions): Promise<{ size: number; etag?: string }>;
  delete(bucket: string, key: string): Promise<void>;
  presignGet(bucket: string, key: string, options: PresignGetOptions): Promise<string>;
  /**
   * The lifetime presignGet really signs for when `requestedSeconds` are asked: capped at the
   * signing credentials' expiration (temporary credentials). Absent = always the requested.
   */
  presignLifetime?(requestedSeconds: number): Promise<number>;
  presignPut(bucket: string, key: string, options: PresignPutOptions): Promise<string>;
  /** Multipart uploads started and neither completed nor aborted. */
  listIncompleteUploads(bucket: string, prefix: string): Promise<IncompleteUpload[]>;
  abortIncompleteUpload(bucket: string, upload: IncompleteUpload): Promise<void>;
  /** Creates the bucket if missing. Idempotent. */
  ensureBucket(bucket: string): Promise<void>;
  ping(): Promise<void>;
}
