/**
 * Who is asking (DESIGN §6 Auth). The token middleware (packages/shared http/auth*) sets
 * `ctx.state.principal`; the routes here only read it. `sub` is the owner; the `admin` scope
 * sees every owner's jobs and may filter the listing by owner.
 */
import { ErrorCode, PipelineError, type Job } from '@artifact-pipeline/shared';
import type { HttpState } from '@artifact-pipeline/shared/http/router';
import type { Middleware, ParameterizedContext } from 'koa';

export interface Principal {
  owner: string;
  admin: boolean;
}

export interface StatusState extends HttpState {
  principal?: Principal;
}

export type StatusContext = ParameterizedContext<StatusState>;
export type StatusMiddleware = Middleware<StatusState>;

/** The caller; 401 when no middleware before the route established one. */
export function requirePrincipal(ctx: StatusContext): Principal {
  const principal = ctx.state.principal;
  if (principal === undefined) {
    throw new PipelineError('a bearer token is required', { code: ErrorCode.UNAUTHORIZED, retriable: false });
  }
  return principal;
}

/** Another owner's job answers exactly like a missing one: 404, so ids cannot be probed. */
export function canSee(principal: Principal, job: Job): boolean {
  return principal.admin || job.owner === principal.owner;
}

export function jobNotFound(jobId: string): PipelineError {
  return new PipelineError(`no job ${jobId}`, { code: ErrorCode.NOT_FOUND, retriable: false, context: { jobId } });
}
