/**
 * The end of a crash loop: a command delivered more than MAX_ATTEMPTS times is not built
 * again. A worker that dies at every attempt (killed, out of memory) never reaches the
 * catch that emits the final job.failed, so the next delivery past the limit does it: it
 * aborts the job's open uploads, emits a final job.failed with ATTEMPTS_EXHAUSTED (the last
 * error the read model knows in the message), and throws ATTEMPTS_EXHAUSTED, not retriable,
 * so the bus dead-letters the command with that reason. The caller holds the job's lease,
 * so no live worker is writing the uploads aborted here.
 */
import { ErrorCode, PipelineError } from '../errors.js';
import type { JobFailed } from '../events/payloads.js';
import type { Logger } from '../logger.js';
import type { JobError } from '../ports/job-store.js';

export interface ExhaustedInput {
  jobId: string;
  /** This delivery's attempt, above maxAttempts. */
  attempt: number;
  maxAttempts: number;
  /** The job's attempt in the read model: the last one that reported anything. */
  lastAttempt: number;
  /** The error of the last failed attempt, when one reported it. */
  lastError?: JobError;
  emitFailed(data: JobFailed): Promise<void>;
  abortUploads(): Promise<number>;
  logger: Logger;
}

/** What the final job.failed says. */
export function exhaustedMessage(attempt: number, maxAttempts: number, lastError?: JobError): string {
  const last = lastError === undefined
    ? 'no attempt reported an error (each worker stopped before it could: killed, out of memory)'
    : `the last error: ${lastError.code}: ${lastError.message}`;
  return `delivered ${attempt} times, more than MAX_ATTEMPTS (${maxAttempts}); not built again; ${last}`.slice(0, 4096);
}

/** Always throws: ATTEMPTS_EXHAUSTED once the job is failed, or what kept it from being recorded. */
export async function failExhaustedJob(input: ExhaustedInput): Promise<never> {
  const { jobId, attempt, maxAttempts, logger } = input;
  const aborted = await input.abortUploads().catch((err: unknown) => {
    // The bucket's AbortIncompleteMultipartUpload rule removes them later (artifacts provision).
    logger.warn({ err }, 'could not abort the open uploads of a job given up on');
    return 0;
  });
  const message = exhaustedMessage(attempt, maxAttempts, input.lastError);
  await input.emitFailed({
    jobId,
    error: { code: ErrorCode.ATTEMPTS_EXHAUSTED, message, retriable: false },
    // The failure belongs to the last attempt that ran (never one beyond the limit).
    attempt: Math.max(1, input.lastAttempt, Math.min(attempt, maxAttempts)),
    final: true,
  });
  logger.warn({ attempt, maxAttempts, abortedUploads: aborted, lastError: input.lastError }, 'job failed: attempts exhausted');
  throw new PipelineError(message, {
    code: ErrorCode.ATTEMPTS_EXHAUSTED,
    retriable: false,
    context: { jobId, attempt, maxAttempts },
  });
}
