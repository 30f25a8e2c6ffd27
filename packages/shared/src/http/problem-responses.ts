/**
 * Turns every failure into RFC 9457 problem details (problem.ts holds the status table):
 * thrown PipelineErrors and http-errors, and the empty 404 / 405 / 501 that koa and the
 * router leave behind. 5xx are logged with the error; the client sees only a generic detail.
 */
import { trace } from '@opentelemetry/api';
import type { Logger } from '../logger.js';
import { ErrorCode } from '../errors.js';
import {
  HttpErrorCode, PROBLEM_CONTENT_TYPE, UNAVAILABLE_RETRY_AFTER_SECONDS, problem, problemFromError, statusTitle, type Problem,
} from './problem.js';
import type { HttpContext, HttpMiddleware } from './router.js';

export function problemResponses({ logger }: { logger: Logger }): HttpMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const answer = problemFromError(err);
      const log = ctx.state.log ?? logger;
      if (answer.status >= 500) {
        log.error({ err, code: answer.code }, 'request failed');
        trace.getActiveSpan()?.recordException(err instanceof Error ? err : new Error(String(err)));
      } else {
        log.debug({ code: answer.code, detail: answer.detail }, 'request rejected');
      }
      if (ctx.headerSent || !ctx.writable) {
        // Part of the response is out already: cut the connection so the client sees a
        // truncated response rather than waiting for the rest.
        ctx.res.destroy();
        return;
      }
      copyErrorHeaders(ctx, err);
      writeProblem(ctx, answer);
      return;
    }
    if (ctx.body == null && !ctx.headerSent) fillEmptyError(ctx);
  };
}

/** Sends `answer` as the response; `requestId` is added so a user can quote it. */
export function writeProblem(ctx: HttpContext, answer: Problem): void {
  ctx.status = answer.status;
  ctx.body = ctx.state.requestId === undefined ? answer : { ...answer, requestId: ctx.state.requestId };
  ctx.type = PROBLEM_CONTENT_TYPE;
  // RFC 6750 §3: a 401 for a bearer-token API names the scheme.
  if (answer.status === 401 && !ctx.response.get('WWW-Authenticate')) ctx.set('WWW-Authenticate', 'Bearer');
  // The client may retry a 503; say when, unless the error named its own time.
  if (answer.status === 503 && !ctx.response.get('Retry-After')) ctx.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
}

/** koa leaves 404 with no body when nothing answered; the router leaves 405 / 501 with `Allow`. */
function fillEmptyError(ctx: HttpContext): void {
  const target = `${ctx.method} ${ctx.path}`;
  switch (ctx.status) {
    case 404:
      writeProblem(ctx, problem(404, ErrorCode.NOT_FOUND, statusTitle(404), `nothing answers ${target}`));
      break;
    case 405:
      writeProblem(ctx, problem(405, HttpErrorCode.METHOD_NOT_ALLOWED, statusTitle(405),
        `${ctx.method} is not allowed on ${ctx.path}; allowed: ${ctx.response.get('Allow') || 'none'}`));
      break;
    case 501:
      writeProblem(ctx, problem(501, HttpErrorCode.NOT_IMPLEMENTED, statusTitle(501),
        `${ctx.method} is not supported by this server`));
      break;
    default:
      break;
  }
}

/** http-errors may carry headers to send (e.g. Allow, WWW-Authenticate); keep those. */
function copyErrorHeaders(ctx: HttpContext, err: unknown): void {
  const headers = (err as { headers?: unknown } | null)?.headers;
  if (typeof headers !== 'object' || headers === null) return;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-type' || lower === 'content-length') continue;
    if (typeof value === 'string' || Array.isArray(value)) ctx.set(name, value as string | string[]);
  }
}
