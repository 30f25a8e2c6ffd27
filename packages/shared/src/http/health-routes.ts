/**
 * GET /healthz (the process is alive), GET /readyz (its dependencies answer and it is not
 * shutting down) and GET /metrics (Prometheus text exposition of the registry).
 */
import type { Registry } from 'prom-client';
import { ErrorCode } from '../errors.js';
import { problem, statusTitle } from './problem.js';
import { writeProblem } from './problem-responses.js';
import { checkReadiness, type ReadinessCheck } from './readiness.js';
import type { HttpRouter } from './router.js';

export const HEALTH_PATHS = Object.freeze({ live: '/healthz', ready: '/readyz', metrics: '/metrics' });

export interface HealthRoutesOptions {
  registry: Registry;
  readiness: readonly ReadinessCheck[];
  /** Timeout of each readiness check, in ms (default 2,000). */
  readinessTimeoutMs?: number;
  /** Why the service is no longer ready regardless of its checks (draining), or undefined. */
  notReadyReason: () => string | undefined;
}

export function mountHealthRoutes(router: HttpRouter, options: HealthRoutesOptions): void {
  const { registry, readiness, readinessTimeoutMs, notReadyReason } = options;

  router.get(HEALTH_PATHS.live, (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get(HEALTH_PATHS.ready, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const report = await checkReadiness(readiness, readinessTimeoutMs === undefined ? {} : { timeoutMs: readinessTimeoutMs });
    const reason = notReadyReason();
    if (reason !== undefined) report.checks.shutdown = { status: 'failed', durationMs: 0, error: reason };
    const failed = Object.entries(report.checks).filter(([, r]) => r.status === 'failed').map(([name]) => name);
    if (failed.length === 0) {
      ctx.body = { status: 'ok', checks: report.checks };
      return;
    }
    writeProblem(ctx, problem(503, ErrorCode.UNAVAILABLE, statusTitle(503), `not ready: ${failed.join(', ')}`, {
      failed,
      checks: report.checks,
    }));
  });

  router.get(HEALTH_PATHS.metrics, async (ctx) => {
    ctx.body = await registry.metrics();
    ctx.type = registry.contentType;
  });
}
