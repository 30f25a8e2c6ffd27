import { ErrorCode, PipelineError, errorCode, isPipelineError, isRetriable } from '../errors.js';

/** Where an S3 call failed: goes into the PipelineError's context for logs and dead letters. */
export interface S3CallContext {
  operation: string;
  bucket: string;
  key?: string;
}

const MISSING_OBJECT = new Set(['NoSuchKey', 'NotFound']);
const MISSING_BUCKET = new Set(['NoSuchBucket']);
const DENIED = new Set([
  'AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccountProblem',
  'AllAccessDisabled', 'InvalidObjectState', 'ExpiredToken', 'InvalidToken',
]);
const BAD_REQUEST = new Set([
  'InvalidRange', 'InvalidBucketName', 'KeyTooLongError', 'InvalidArgument', 'EntityTooLarge',
  'EntityTooSmall', 'InvalidPart', 'InvalidPartOrder', 'MalformedXML',
]);
const THROTTLING = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestThrottled', 'TooManyRequestsException']);

function httpStatus(err: unknown): number | undefined {
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** True when S3 answered "no such object" (GET's NoSuchKey, or HEAD's bodyless 404). */
export function isMissingObject(err: unknown): boolean {
  const code = errorCode(err);
  return (code !== undefined && MISSING_OBJECT.has(code)) || (httpStatus(err) === 404 && !isMissingBucket(err));
}

export function isMissingBucket(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && MISSING_BUCKET.has(code);
}

/**
 * Turns whatever an S3 call threw into a PipelineError: missing object → NOT_FOUND, missing
 * bucket → SOURCE_NOT_FOUND, 403 → ACCESS_DENIED, bad request → INVALID_INPUT (none of these
 * retried); throttling → THROTTLED, 5xx / resets / timeouts → UNAVAILABLE (both retriable,
 * after the SDK's own retries gave up); anything else INTERNAL, not retriable. A PipelineError
 * passes through unchanged (e.g. the one a failing source stream raised).
 */
export function toS3PipelineError(err: unknown, where: S3CallContext): PipelineError {
  if (isPipelineError(err)) return err;
  const code = errorCode(err);
  const status = httpStatus(err);
  const context = { ...where, s3Code: code, httpStatus: status };
  const make = (pipelineCode: ErrorCode, retriable: boolean, message: string): PipelineError =>
    new PipelineError(message, { code: pipelineCode, retriable, cause: err, context });
  const target = where.key === undefined ? `s3://${where.bucket}` : `s3://${where.bucket}/${where.key}`;

  if (isMissingBucket(err)) return make(ErrorCode.SOURCE_NOT_FOUND, false, `bucket ${where.bucket} does not exist`);
  if (isMissingObject(err)) return make(ErrorCode.NOT_FOUND, false, `${target} does not exist`);
  if ((code !== undefined && DENIED.has(code)) || status === 403) {
    return make(ErrorCode.ACCESS_DENIED, false, `${where.operation} ${target}: access denied (${code ?? status})`);
  }
  if (code === 'AbortError') return make(ErrorCode.ABORTED, true, `${where.operation} ${target} aborted`);
  if (code !== undefined && THROTTLING.has(code)) {
    return make(ErrorCode.THROTTLED, true, `${where.operation} ${target}: throttled (${code})`);
  }
  if (isRetriable(err)) {
    return make(ErrorCode.UNAVAILABLE, true, `${where.operation} ${target}: ${describe(err)}`);
  }
  if ((code !== undefined && BAD_REQUEST.has(code)) || status === 400 || status === 416) {
    return make(ErrorCode.INVALID_INPUT, false, `${where.operation} ${target}: ${describe(err)}`);
  }
  return make(ErrorCode.INTERNAL, false, `${where.operation} ${target}: ${describe(err)}`);
}

function describe(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code === undefined || message.includes(code) ? message : `${code}: ${message}`;
}
