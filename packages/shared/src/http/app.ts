/**
 * The HTTP kernel every service uses: a koa app, not listening (main.ts calls serve.ts's
 * `listen`; tests may use `app.callback()`). In order, outermost first:
 *   request-telemetry  request id, server span, request log line, request metrics
 *   problem-responses  every error and empty 404/405/501 → application/problem+json
 *   allowed-methods    405 with Allow for a known path under any other method (never 501)
 *   routes             /healthz, /readyz, /metrics, then the service's routers
 * Bodies are parsed per route with jsonBody({ limitBytes }) (json-body.ts).
 */
import Koa from 'koa';
import type { Logger } from '../logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { allowedMethods } from './allowed-methods.js';
import { HEALTH_PATHS, mountHealthRoutes } from './health-routes.js';
import { problemResponses } from './problem-responses.js';
import type { ReadinessCheck } from './readiness.js';
import { requestTelemetry } from './request-telemetry.js';
import { createRouter, type HttpRouter, type HttpState } from './router.js';

export interface HttpAppOptions {
  /** The service name, for logs. */
  service: string;
  logger: Logger;
  metrics: Metrics;
  /** Dependencies /readyz checks (each under `readinessTimeoutMs`). Default none. */
  readiness?: readonly ReadinessCheck[];
  /** Timeout of each readiness check, in ms. Default 2,000. */
  readinessTimeoutMs?: number;
  /** The service's routers, mounted after the health routes in this order. */
  routers?: readonly HttpRouter[];
  /** Trust X-Forwarded-* from the ingress (koa `proxy`). Default false. */
  proxy?: boolean;
}

export interface HttpApp {
  app: Koa<HttpState>;
  /** The root router (it holds the health routes); more routes may be added to it at any time. */
  router: HttpRouter;
  /**
   * From now on /readyz answers 503 naming `shutdown`, so load balancers stop sending new
   * requests while in-flight ones finish. Call it first thing on SIGTERM.
   */
  drain(reason?: string): void;
}

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { service, metrics, readiness = [], readinessTimeoutMs, routers = [], proxy = false } = options;
  const logger = options.logger.child({ component: 'http' });
  const app = new Koa<HttpState>({ proxy });
  const router = createRouter();
  let notReady: string | undefined;

  mountHealthRoutes(router, {
    registry: metrics.registry,
    readiness,
    ...(readinessTimeoutMs === undefined ? {} : { readinessTimeoutMs }),
    notReadyReason: () => notReady,
  });

  app.use(requestTelemetry({ logger, metrics, quietPaths: new Set(Object.values(HEALTH_PATHS)) }));
  app.use(problemResponses({ logger }));
  // One allowedMethods for all routers: ctx.matched collects the layers of every router.
  app.use(allowedMethods());
  app.use(router.routes());
  for (const extra of routers) app.use(extra.routes());

  // Errors that escape the middleware (a body stream failing after the headers went out).
  app.on('error', (err: unknown) => {
    logger.error({ err, service }, 'response failed after it started');
  });

  return {
    app,
    router,
    drain(reason = 'shutting down') {
      if (notReady === undefined) logger.info({ reason }, 'readiness now reports not ready');
      notReady = reason;
    },
  };
}
