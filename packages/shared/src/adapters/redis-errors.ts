/**
 * What the Redis adapters throw: every failure as a PipelineError (UNAVAILABLE, retriable,
 * for connection trouble and LOADING/BUSY; see errors.ts), and the create script's
 * `IDEMPOTENCY_MISMATCH <jobId>` error reply as the non-retriable error the API turns into 422.
 */
import { ErrorCode, PipelineError, toPipelineError } from '../errors.js';

/** Runs one Redis call and converts whatever it throws. */
export async function redisCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromRedisError(err);
  }
}

export function fromRedisError(err: unknown, idempotencyKey?: string): PipelineError {
  const message = err instanceof Error ? err.message : '';
  const match = /^IDEMPOTENCY_MISMATCH (.+)$/s.exec(message);
  if (match === null) return toPipelineError(err);
  return new PipelineError('the idempotency key was used with another request', {
    code: ErrorCode.IDEMPOTENCY_MISMATCH,
    retriable: false,
    context: { jobId: match[1], ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
  });
}

export function unavailable(message: string): PipelineError {
  return new PipelineError(message, { code: ErrorCode.UNAVAILABLE, retriable: true });
}
