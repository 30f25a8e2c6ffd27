// Status: wiring only (STYLE "main.ts only wires"). Configured by the environment (README.md).
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdapters, createLogger, loadConfigOrExit } from '@artifact-pipeline/shared';
import { routeProcessWarnings } from '@artifact-pipeline/shared/logger';
import { createHttpApp } from '@artifact-pipeline/shared/http/app';
import { bearerAuth } from '@artifact-pipeline/shared/http/auth';
import { openApiRoutes } from '@artifact-pipeline/shared/http/openapi-document';
import type { HttpRouter } from '@artifact-pipeline/shared/http/router';
import { listen } from '@artifact-pipeline/shared/http/serve';
import { onShutdown } from '@artifact-pipeline/shared/shutdown';
import { startOrExit } from '@artifact-pipeline/shared/start-failure';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { startTelemetry } from '@artifact-pipeline/shared/telemetry/sdk';
import type { StatusMiddleware } from './principal.js';
import { createStatusService } from './status-service.js';

const config = loadConfigOrExit(process.env, 'status');
const logger = createLogger({ service: 'status', level: config.log.level });
routeProcessWarnings(logger);
const telemetry = startTelemetry({ service: 'status', logger });
const metrics = createMetrics({ service: 'status' });
const adapters = await createAdapters(config, { logger, service: 'status' });

const service = createStatusService({
  ...adapters,
  artifactsBucket: config.s3.artifactsBucket,
  downloadUrlTtlSeconds: config.s3.downloadUrlTtlSeconds,
  auth: bearerAuth({ auth: config.auth, logger }) as unknown as StatusMiddleware,
  webhook: config.webhook,
  journal: config.bus.kind === 'sqs' && { prefix: config.journal.prefix },
  logger,
  metrics,
});
const http = createHttpApp({
  service: 'status', logger, metrics, routers: [openApiRoutes(), service.router as unknown as HttpRouter],
  readiness: [
    { name: config.redis.url ? 'redis' : 'jobs', check: () => adapters.jobs.ping() },
    { name: 'bus', check: () => adapters.bus.ping() },
    { name: 's3', check: () => adapters.objects.ping() },
  ],
});
await startOrExit(logger, () => service.start());
const served = await listen(http.app, { port: config.http.port, keepAliveSeconds: config.http.keepAliveSeconds });
logger.info({ url: served.url }, 'status listening');

const delaySeconds = config.http.shutdownDelaySeconds;
const { graceSeconds } = config.shutdown;
const shutdown = onShutdown({ logger, graceMs: (delaySeconds + graceSeconds) * 1000 });
shutdown.add('telemetry', () => telemetry.shutdown());
shutdown.add('adapters', () => adapters.close());
shutdown.add('service', (ms) => service.stop(ms));
// /readyz answers 503 at once; requests are still served for the drain delay (balancers and
// kube-proxy take that long to stop routing to a terminating pod), then the port closes.
shutdown.add('http', async (ms) => {
  http.drain();
  await sleep(delaySeconds * 1000);
  await served.close(Math.min(ms - delaySeconds * 1000, 5_000));
});
