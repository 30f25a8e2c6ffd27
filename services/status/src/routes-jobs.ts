/**
 * GET /v1/jobs/{id} and GET /v1/jobs?status=&limit=&cursor=&owner= (DESIGN §6).
 * Another owner's job is 404, never 403 (ids cannot be probed). Only the admin scope lists
 * every owner or filters by one. `Retry-After` while the job is not final, so pollers slow
 * down by themselves.
 */
import { ErrorCode, PipelineError, badInput, type JobStore, type ListJobsQuery } from '@artifact-pipeline/shared';
import { Router } from '@koa/router';
import { isFinal, toJobView } from './job-view.js';
import { canSee, jobNotFound, requirePrincipal, type StatusContext, type StatusState } from './principal.js';

export interface JobRoutesOptions {
  jobs: JobStore;
  /** Seconds a poller is asked to wait while a job is not final. Default 2. */
  retryAfterSeconds?: number;
}

/** Reads a visible job or throws 404. */
export async function loadVisibleJob(ctx: StatusContext, jobs: JobStore, jobId: string) {
  const principal = requirePrincipal(ctx);
  const job = await jobs.get(jobId);
  if (job === undefined || !canSee(principal, job)) throw jobNotFound(jobId);
  return job;
}

export function jobRoutes({ jobs, retryAfterSeconds = 2 }: JobRoutesOptions): Router<StatusState> {
  const router = new Router<StatusState>();

  router.get('/v1/jobs/:id', async (ctx) => {
    const job = await loadVisibleJob(ctx, jobs, ctx.params.id!);
    if (!isFinal(job)) ctx.set('Retry-After', String(retryAfterSeconds));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = toJobView(job);
  });

  router.get('/v1/jobs', async (ctx) => {
    const principal = requirePrincipal(ctx);
    const query = listQuery(ctx.query);
    if (!principal.admin) {
      if (query.owner !== undefined && query.owner !== principal.owner) {
        throw new PipelineError('only the admin scope may list another owner\'s jobs', {
          code: ErrorCode.ACCESS_DENIED,
          retriable: false,
          context: { field: 'owner' },
        });
      }
      query.owner = principal.owner;
    }
    const page = await jobs.list(query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page.nextCursor === undefined ? { items: page.items.map(toJobView) } : { items: page.items.map(toJobView), nextCursor: page.nextCursor };
  });

  return router;
}

const KNOWN_PARAMS = new Set(['status', 'limit', 'cursor', 'owner']);

/** The listing query; 400 naming the parameter for anything it cannot use. */
export function listQuery(raw: Record<string, string | string[] | undefined>): ListJobsQuery {
  const query: ListJobsQuery = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!KNOWN_PARAMS.has(name)) throw badInput(`unknown query parameter ${name}`, { field: name });
    if (typeof value !== 'string') throw badInput(`query parameter ${name} must appear once`, { field: name });
  }
  const { status, limit, cursor, owner } = raw as Record<string, string | undefined>;
  if (status !== undefined) {
    if (!['queued', 'processing', 'done', 'failed'].includes(status)) {
      throw badInput('status must be one of queued, processing, done, failed', { field: 'status' });
    }
    query.status = status as ListJobsQuery['status'];
  }
  if (limit !== undefined) {
    const n = Number(limit);
    if (!/^\d+$/.test(limit) || n < 1 || n > 100) throw badInput('limit must be an integer from 1 to 100', { field: 'limit' });
    query.limit = n;
  }
  if (cursor !== undefined && cursor !== '') query.cursor = cursor;
  if (owner !== undefined && owner !== '') query.owner = owner;
  return query;
}
