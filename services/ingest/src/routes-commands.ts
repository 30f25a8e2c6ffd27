/**
 * POST /v1/zip-jobs and POST /v1/reports (DESIGN §6): validate, claim the Idempotency-Key,
 * accept the command, answer 202 with the job, `Location` and `Retry-After: 2`.
 *
 * A repeated Idempotency-Key with the same body answers as the first request did: 202 with
 * the same job (plus `Idempotent-Replayed: true`), or the same 503 when that job's command
 * could not be published. Another body under the same key: 422 IDEMPOTENCY_MISMATCH.
 */
import { ErrorCode, PipelineError, type Job } from '@artifact-pipeline/shared';
import { principalOf } from '@artifact-pipeline/shared/http/auth';
import { jsonBody } from '@artifact-pipeline/shared/http/json-body';
import { createRouter, type HttpContext, type HttpRouter } from '@artifact-pipeline/shared/http/router';
import { acceptCommand, type AcceptCommand, type AcceptDeps } from './accept-command.js';
import { checkKeyCount, reportCommandData, zipCommandData, type SourceBuckets } from './command-inputs.js';
import { BODY_LIMITS, ReportBody, ZipJobBody } from './http-bodies.js';
import { toJobView } from './http-job-view.js';
import { idempotencyKeyOf, requestHash, validateBody } from './http-validate.js';

/** Seconds a client should wait before polling a new job (DESIGN §6). */
export const POLL_AFTER_SECONDS = 2;

export interface CommandRoutesDeps {
  accept: AcceptDeps;
  buckets: SourceBuckets;
}

export function commandRoutes({ accept, buckets }: CommandRoutesDeps): HttpRouter {
  const router = createRouter();
  router.post('/v1/zip-jobs', jsonBody({ limitBytes: BODY_LIMITS.zipJobs }), async (ctx) => {
    checkKeyCount(ctx.request.body);
    const body = validateBody(ZipJobBody, ctx.request.body);
    const payload = zipCommandData(body, buckets);
    await answer(ctx, accept, { type: 'zip', payload, ...common(ctx, 'zip-jobs', payload) });
  });
  router.post('/v1/reports', jsonBody({ limitBytes: BODY_LIMITS.reports }), async (ctx) => {
    const body = validateBody(ReportBody, ctx.request.body);
    const payload = reportCommandData(body, buckets);
    await answer(ctx, accept, { type: 'report', payload, ...common(ctx, 'reports', payload) });
  });
  return router;
}

/** Owner and idempotency; the hash covers the normalised payload, so defaults count as given. */
function common(ctx: HttpContext, route: string, payload: unknown) {
  const { owner, admin } = principalOf(ctx);
  const key = idempotencyKeyOf(ctx.get('idempotency-key') || undefined);
  return { owner, admin, ...(key !== undefined ? { idempotencyKey: key, requestHash: requestHash(`${owner}\n${route}`, payload) } : {}) };
}

async function answer(ctx: HttpContext, deps: AcceptDeps, cmd: AcceptCommand): Promise<void> {
  const { job, created } = await acceptCommand(deps, cmd);
  if (!created) {
    if (wasUnpublished(job)) {
      throw new PipelineError('the command of this job could not be published', { code: ErrorCode.PUBLISH_FAILED, retriable: true, context: { jobId: job.id } });
    }
    ctx.set('Idempotent-Replayed', 'true');
  }
  ctx.status = 202;
  ctx.set('Location', toJobView(job).links.self);
  ctx.set('Retry-After', String(POLL_AFTER_SECONDS));
  ctx.body = toJobView(job);
}

function wasUnpublished(job: Job): boolean {
  return job.status === 'failed' && job.error?.code === ErrorCode.PUBLISH_FAILED;
}
