/**
 * The outermost middleware: request id, a server span joined to the caller's trace, one
 * request log line, and the request metrics. Everything is recorded when the response
 * closes, so the figures cover the body too (streams, SSE) and the status is the one sent.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Logger } from '../logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { SpanNames, TelemetryNames } from '../telemetry/names.js';
import type { HttpContext, HttpMiddleware } from './router.js';

const TRACER_NAME = 'artifact-pipeline';
const A = TelemetryNames.attributes;
/** A caller's request id is kept only if it is this tame (no log or header injection). */
const SANE_REQUEST_ID = /^[\w.:@-]{1,128}$/;
/** The status logged and counted when the client went away before the response was sent (nginx's 499). */
const CLIENT_CLOSED = 499;

export interface RequestTelemetryOptions {
  logger: Logger;
  metrics: Metrics;
  /** Paths whose request line is logged at debug, not info (probes and scrapes). */
  quietPaths?: ReadonlySet<string>;
}

export function requestTelemetry({ logger, metrics, quietPaths = new Set() }: RequestTelemetryOptions): HttpMiddleware {
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const requestId = SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);

    const parent = propagation.extract(ROOT_CONTEXT, ctx.headers);
    // Looked up per request: tests (createTestTracing) may replace the global provider.
    const span = trace.getTracer(TRACER_NAME).startSpan(
      ctx.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [A.httpRequestMethod]: ctx.method,
          [A.urlPath]: ctx.path,
          [A.urlScheme]: ctx.protocol,
          [A.requestId]: requestId,
          [A.clientAddress]: ctx.ip,
          ...(ctx.get('user-agent') ? { [A.userAgent]: ctx.get('user-agent') } : {}),
        },
      },
      parent,
    );

    ctx.res.once('close', () => {
      const finished = ctx.res.writableFinished;
      const status = finished ? ctx.res.statusCode : CLIENT_CLOSED;
      const route = routeTemplate(ctx);
      const seconds = (performance.now() - started) / 1000;
      const labels = { route, method: ctx.method, status: String(status) };
      metrics.httpRequestsTotal.inc(labels);
      metrics.httpRequestDurationSeconds.observe(labels, seconds);

      if (route !== TelemetryNames.unmatchedRoute) {
        span.updateName(SpanNames.httpServer(ctx.method, route));
        span.setAttribute(A.httpRoute, route);
      }
      span.setAttribute(A.httpResponseStatusCode, status);
      // Server spans: only 5xx is an error (OpenTelemetry HTTP semantic conventions).
      if (status >= 500) {
        span.setAttribute(A.errorType, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();

      const line = {
        method: ctx.method,
        path: ctx.path,
        route,
        status,
        durationMs: Math.round(seconds * 1000),
        traceId: span.spanContext().traceId,
        ...(finished ? {} : { aborted: true }),
      };
      const message = `${ctx.method} ${ctx.path} ${status}`;
      if (status >= 500 && finished) ctx.state.log.error(line, message);
      else if (quietPaths.has(ctx.path)) ctx.state.log.debug(line, message);
      else ctx.state.log.info(line, message);
    });

    await context.with(trace.setSpan(parent, span), next);
  };
}

/**
 * The route template (`/v1/jobs/:id`) the router matched, never the raw path: raw paths
 * would give the metrics one series per job id. A path that matched a route under another
 * method (405) still names that route.
 */
export function routeTemplate(ctx: HttpContext): string {
  const routed = ctx as HttpContext & {
    _matchedRoute?: string | RegExp;
    matched?: Array<{ path: string | RegExp; methods: string[] }>;
  };
  const matched = routed._matchedRoute ?? routed.matched?.find((layer) => layer.methods.length > 0)?.path;
  return typeof matched === 'string' ? matched : TelemetryNames.unmatchedRoute;
}
