/**
 * The koa types every service shares: what the kernel puts in `ctx.state`, and a router
 * factory typed with it. Services mount their routers through createHttpApp (app.ts).
 */
import { Router, type RouterOptions } from '@koa/router';
import type { Middleware, ParameterizedContext } from 'koa';
import type { Logger } from '../logger.js';

/** Set by the kernel before any route runs (request-telemetry.ts). */
export interface HttpState {
  /** The caller's X-Request-Id when it is sane, otherwise a fresh UUID; echoed in the response. */
  requestId: string;
  /** The service logger with `requestId` bound. */
  log: Logger;
}

export type HttpContext = ParameterizedContext<HttpState>;
export type HttpMiddleware = Middleware<HttpState>;
export type HttpRouter = Router<HttpState>;

/** A router whose handlers see HttpState, e.g. `createRouter({ prefix: '/v1' })`. */
export function createRouter(options: RouterOptions = {}): HttpRouter {
  return new Router<HttpState>(options);
}
