// Ingest: wiring only (STYLE "main.ts only wires"). Configured by the environment (README.md).
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdapters, createLogger, loadConfigOrExit } from '@artifact-pipeline/shared';
import { routeProcessWarnings } from '@artifact-pipeline/shared/logger';
import { startOrExit } from '@artifact-pipeline/shared/start-failure';
import { createMemoryLoginAttempts, type LoginAttempts } from '@artifact-pipeline/shared/http/auth-login-attempts';
import { loadUserDirectory } from '@artifact-pipeline/shared/http/auth-users';
import { mountHealthRoutes } from '@artifact-pipeline/shared/http/health-routes';
import { keepIdleConnections } from '@artifact-pipeline/shared/http/serve';
import { createRouter } from '@artifact-pipeline/shared/http/router';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { startTelemetry } from '@artifact-pipeline/shared/telemetry/sdk';
import { createIngestConsumers } from './ingest-consumers.js';
import { createIngestService } from './ingest-service.js';
import { createRuleMatcher } from './rules-match.js';

const config = loadConfigOrExit(process.env, 'ingest');
const logger = createLogger({ service: 'ingest', level: config.log.level });
routeProcessWarnings(logger);
const telemetry = startTelemetry({ service: 'ingest', logger });
const metrics = createMetrics({ service: 'ingest' });
const adapters = await createAdapters(config, { logger, service: 'ingest' });
const loginAttempts: LoginAttempts & { close?: () => Promise<void> } = config.redis.url
  ? (await import('@artifact-pipeline/shared/adapters/redis-login-attempts')).createRedisLoginAttempts({ url: config.redis.url, logger, patience: 'request' })
  : createMemoryLoginAttempts();
const users = config.auth.usersFile ? await loadUserDirectory(config.auth.usersFile) : undefined;

let draining: string | undefined;
const health = createRouter();
mountHealthRoutes(health, {
  registry: metrics.registry,
  readiness: [
    { name: config.redis.url ? 'redis' : 'jobs', check: () => adapters.jobs.ping() },
    { name: 'bus', check: () => adapters.bus.ping() },
    { name: 's3', check: () => adapters.objects.ping() },
  ],
  notReadyReason: () => draining,
});

const matcher = createRuleMatcher(config.ingest.rules);
const sources = await createIngestConsumers({ config, bus: adapters.bus, matcher, metrics, logger });
const service = createIngestService({
  config, ...adapters, logger, metrics, loginAttempts, matcher, consumers: sources.consumers, publicRouters: [health], ...(users ? { users } : {}),
});
await startOrExit(logger, () => service.start());
logger.info({ consumers: sources.sources }, 'ingest consuming');
const server = createServer(service.callback());
keepIdleConnections(server, config.http.keepAliveSeconds);
server.listen(config.http.port, () => logger.info({ port: config.http.port }, 'ingest listening'));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  draining = 'shutting down';
  // /readyz answers 503 from here on, but requests are still served for the drain delay:
  // balancers and kube-proxy take that long to stop routing to a terminating pod.
  logger.info({ signal, delaySeconds: config.http.shutdownDelaySeconds }, 'ingest stopping');
  await sleep(config.http.shutdownDelaySeconds * 1000);
  server.close();
  await service.stop(config.shutdown.graceSeconds * 1000);
  server.closeAllConnections();
  await Promise.allSettled([adapters.close(), sources.close(), loginAttempts.close?.()]);
  await telemetry.shutdown();
  logger.info('ingest stopped');
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
