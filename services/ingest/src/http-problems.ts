/**
 * Ingest's own problem answers, mounted inside the kernel's problemResponses:
 * - field errors (`context.errors`) become the problem's top-level `errors: [{path, message}]`;
 * - codes the kernel's status table does not know yet: BUCKET_NOT_ALLOWED 403, SOURCE_FORBIDDEN 403,
 *   TOO_MANY_ATTEMPTS 429 (with Retry-After);
 * - PUBLISH_FAILED 503 names the failed job (`jobId`, `Location`): the record exists and
 *   says failed, so the client can look at it and retry with a new request.
 * Everything else goes on to problemResponses unchanged.
 */
import { ErrorCode, isPipelineError, type PipelineError } from '@artifact-pipeline/shared';
import { problem, statusTitle } from '@artifact-pipeline/shared/http/problem';
import { writeProblem } from '@artifact-pipeline/shared/http/problem-responses';
import type { HttpContext, HttpMiddleware } from '@artifact-pipeline/shared/http/router';

export const IngestErrorCode = {
  BUCKET_NOT_ALLOWED: 'BUCKET_NOT_ALLOWED',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
} as const;

const OWN_STATUS: Readonly<Record<string, number>> = {
  [IngestErrorCode.BUCKET_NOT_ALLOWED]: 403,
  [ErrorCode.SOURCE_FORBIDDEN]: 403,
  [IngestErrorCode.TOO_MANY_ATTEMPTS]: 429,
};

export function ingestProblems(): HttpMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!isPipelineError(err) || !answer(ctx, err)) throw err;
    }
  };
}

function answer(ctx: HttpContext, err: PipelineError): boolean {
  const own = OWN_STATUS[err.code];
  if (own !== undefined) {
    const retryAfter = err.context.retryAfterSeconds;
    if (typeof retryAfter === 'number') ctx.set('Retry-After', String(retryAfter));
    writeProblem(ctx, problem(own, err.code, statusTitle(own), err.message, contextOf(err, ['retryAfterSeconds'])));
    return true;
  }
  if (err.code === ErrorCode.INVALID_INPUT && Array.isArray(err.context.errors)) {
    writeProblem(ctx, problem(400, err.code, statusTitle(400), err.message, { errors: err.context.errors }));
    return true;
  }
  if (err.code === ErrorCode.PUBLISH_FAILED && typeof err.context.jobId === 'string') {
    const jobId = err.context.jobId;
    ctx.set('Location', `/v1/jobs/${encodeURIComponent(jobId)}`);
    ctx.set('Retry-After', '5');
    writeProblem(ctx, problem(503, err.code, statusTitle(503), 'The job was recorded but its command could not be published; the job is marked failed. Try again later.', { jobId }));
    return true;
  }
  return false;
}

function contextOf(err: PipelineError, drop: string[]): Record<string, unknown> | undefined {
  const rest = Object.fromEntries(Object.entries(err.context).filter(([k]) => !drop.includes(k)));
  return Object.keys(rest).length > 0 ? { context: rest } : undefined;
}
