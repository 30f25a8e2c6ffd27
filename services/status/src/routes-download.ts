/**
 * GET /v1/jobs/{id}/download (DESIGN §6, §7). 302 to a URL presigned now, so its expiry and
 * the credentials behind it start at the click — never a stale link stored with the job.
 * 409 with the job's status until it is done (Retry-After while it may still finish);
 * 410 when the artifact is gone (its retention ended: HEAD finds nothing).
 */
import type { JobStore, ObjectStore } from '@artifact-pipeline/shared';
import { problem, statusTitle } from '@artifact-pipeline/shared/http/problem';
import { writeProblem } from '@artifact-pipeline/shared/http/problem-responses';
import { Router } from '@koa/router';
import type { HttpContext } from '@artifact-pipeline/shared/http/router';
import { isFinal } from './job-view.js';
import { loadVisibleJob } from './routes-jobs.js';
import type { StatusState } from './principal.js';

export interface DownloadRoutesOptions {
  jobs: JobStore;
  objects: ObjectStore;
  /** Lifetime of each presigned URL, in s (DOWNLOAD_URL_TTL_SECONDS, default 86,400). */
  urlTtlSeconds: number;
  retryAfterSeconds?: number;
}

export const ARTIFACT_GONE = 'ARTIFACT_GONE';
export const JOB_NOT_DONE = 'JOB_NOT_DONE';

export function downloadRoutes({ jobs, objects, urlTtlSeconds, retryAfterSeconds = 2 }: DownloadRoutesOptions): Router<StatusState> {
  const router = new Router<StatusState>();

  router.get('/v1/jobs/:id/download', async (ctx) => {
    const job = await loadVisibleJob(ctx, jobs, ctx.params.id!);
    const answer = ctx as unknown as HttpContext;
    if (job.status !== 'done' || job.output === undefined) {
      if (!isFinal(job)) ctx.set('Retry-After', String(retryAfterSeconds));
      writeProblem(answer, problem(409, JOB_NOT_DONE, statusTitle(409), `job ${job.id} is ${job.status}; the artifact exists once it is done`, { jobStatus: job.status }));
      return;
    }
    const { bucket, key } = job.output;
    const found = await objects.head(bucket, key);
    if (found === undefined) {
      writeProblem(answer, problem(410, ARTIFACT_GONE, statusTitle(410), `the artifact of job ${job.id} is no longer kept`));
      return;
    }
    const fileName = key.slice(key.lastIndexOf('/') + 1) || `${job.id}`;
    const url = await objects.presignGet(bucket, key, { expiresInSeconds: urlTtlSeconds, fileName });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(url);
    ctx.status = 302;
  });

  return router;
}
