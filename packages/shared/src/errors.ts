/**
 * One error type for the whole pipeline. `retriable` is a required argument so the
 * decision is made where the error is born; classification elsewhere goes by `code`
 * (never only by `instanceof`: the shared package may be loaded twice).
 */
export const ErrorCode = {
  // input problems: never retried
  INVALID_INPUT: 'INVALID_INPUT',
  INVALID_EVENT: 'INVALID_EVENT',
  INVALID_CONFIG: 'INVALID_CONFIG',
  IDEMPOTENCY_MISMATCH: 'IDEMPOTENCY_MISMATCH',
  NOT_FOUND: 'NOT_FOUND',
  SOURCE_NOT_FOUND: 'SOURCE_NOT_FOUND',
  SOURCE_EMPTY: 'SOURCE_EMPTY',
  ACCESS_DENIED: 'ACCESS_DENIED',
  TOO_MANY_KEYS: 'TOO_MANY_KEYS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  // a source the job's owner may not read (source-policy.ts), or a bucket that is no source
  SOURCE_FORBIDDEN: 'SOURCE_FORBIDDEN',
  BUCKET_NOT_ALLOWED: 'BUCKET_NOT_ALLOWED',
  // the source changed while it was read (size or checksum differs): retried from the start
  SOURCE_CHANGED: 'SOURCE_CHANGED',
  UNAUTHORIZED: 'UNAUTHORIZED',
  // transient problems: retried with backoff
  UNAVAILABLE: 'UNAVAILABLE',
  THROTTLED: 'THROTTLED',
  TIMEOUT: 'TIMEOUT',
  PUBLISH_FAILED: 'PUBLISH_FAILED',
  // work that was stopped on purpose (shutdown, lease lost)
  ABORTED: 'ABORTED',
  INTERNAL: 'INTERNAL',
  // final states the job worker decides on its own
  /** The command was delivered more than MAX_ATTEMPTS times (crash loop): not built again. */
  ATTEMPTS_EXHAUSTED: 'ATTEMPTS_EXHAUSTED',
  /** A command for a job the store does not hold (published around ingest): never built. */
  JOB_UNKNOWN: 'JOB_UNKNOWN',
  /** A `processing` job whose lease no worker has held for longer than the redelivery window. */
  LEASE_EXPIRED: 'LEASE_EXPIRED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode] | (string & {});

export interface PipelineErrorOptions {
  code: ErrorCode;
  retriable: boolean;
  cause?: unknown;
  /** Facts that help whoever reads the log or the dead letter: field names, keys, ids. */
  context?: Record<string, unknown>;
}

export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(message: string, options: PipelineErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.retriable = options.retriable;
    this.context = Object.freeze({ ...(options.context ?? {}) });
  }

  toJSON(): { code: string; message: string; retriable: boolean; context?: Record<string, unknown> } {
    const out: { code: string; message: string; retriable: boolean; context?: Record<string, unknown> } = {
      code: this.code,
      message: this.message,
      retriable: this.retriable,
    };
    if (Object.keys(this.context).length > 0) out.context = { ...this.context };
    return out;
  }
}

/** True for anything shaped like a PipelineError, whichever copy of this module made it. */
export function isPipelineError(err: unknown): err is PipelineError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    typeof (err as { retriable?: unknown }).retriable === 'boolean' &&
    (err as { name?: unknown }).name === 'PipelineError'
  );
}

/**
 * Transient failures from the libraries we use, by the code or name they carry.
 * Anything not listed here (and not a PipelineError saying otherwise) is not retried.
 */
const TRANSIENT_CODES = new Set([
  // Node sockets
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH',
  'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
  // AWS (S3, SQS)
  'SlowDown', 'Throttling', 'ThrottlingException', 'RequestThrottled', 'RequestTimeout',
  'RequestTimeoutException', 'InternalError', 'ServiceUnavailable', 'InternalFailure',
  'TooManyRequestsException', 'RequestLimitExceeded', 'TimeoutError', 'NetworkingError',
  // Redis
  'LOADING', 'BUSY', 'TRYAGAIN', 'CLUSTERDOWN', 'MASTERDOWN',
]);

const TRANSIENT_HTTP = new Set([408, 429, 500, 502, 503, 504]);

/** The code an error carries, looking at the fields the SDKs we use put it in. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; name?: unknown; Code?: unknown };
  if (typeof e.code === 'string') return e.code;
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return undefined;
}

/** Whether retrying could help. PipelineErrors say so themselves; the rest go by allow-list. */
export function isRetriable(err: unknown): boolean {
  if (isPipelineError(err)) return err.retriable;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as {
    retriable?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    message?: unknown;
  };
  // kafkajs marks its own errors; it defaults to true, so only trust it for KafkaJS* errors.
  const name = (err as { name?: unknown }).name;
  if (typeof name === 'string' && name.startsWith('KafkaJS') && typeof e.retriable === 'boolean') {
    return e.retriable;
  }
  if (e.$retryable) return true;
  const code = errorCode(err);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && TRANSIENT_HTTP.has(status)) return true;
  if (typeof e.message === 'string' && /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN)\b/.test(e.message)) {
    return true;
  }
  // ioredis: "Connection is closed." / "Reached the max retries per request limit" /
  // "Stream isn't writeable and enableOfflineQueue options is false" / "Command timed out"
  if (typeof e.message === 'string' && /Connection is closed|max retries per request|Stream isn't writeable|Command timed out/i.test(e.message)) {
    return true;
  }
  return false;
}

/** Wrap anything thrown into a PipelineError, keeping the original as `cause`. */
export function toPipelineError(err: unknown, fallbackCode: ErrorCode = ErrorCode.INTERNAL): PipelineError {
  if (isPipelineError(err)) return err;
  const retriable = isRetriable(err);
  const message = err instanceof Error ? err.message : String(err);
  const code = retriable ? ErrorCode.UNAVAILABLE : fallbackCode;
  return new PipelineError(message, { code, retriable, cause: err, context: { originalCode: errorCode(err) } });
}

/** Shorthands for the two kinds of error most call sites make. */
export function badInput(message: string, context?: Record<string, unknown>): PipelineError {
  return new PipelineError(message, { code: ErrorCode.INVALID_INPUT, retriable: false, ...(context ? { context } : {}) });
}
