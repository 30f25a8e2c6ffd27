// Ingest: wiring only (STYLE "main.ts only wires"). Configured by the environment (README.md).
import { createServer } from 'node:http';
import { createAdapters, createLogger, loadConfigOrExit } from '@artifact-pipeline/shared';
import { createMemoryLoginAttempts, type LoginAttempts } from '@artifact-pipeline/shared/http/auth-login-attempts';
import { loadUserDirectory } from '@artifact-pipeline/shared/http/auth-users';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { createIngestService } from './ingest-service.js';

const config = loadConfigOrExit(process.env, 'ingest');
const logger = createLogger({ service: 'ingest', level: config.log.level });
const metrics = createMetrics({ service: 'ingest' });
const adapters = await createAdapters(config, { logger, service: 'ingest' });
const loginAttempts: LoginAttempts & { close?: () => Promise<void> } = config.redis.url
  ? (await import('@artifact-pipeline/shared/adapters/redis-login-attempts')).createRedisLoginAttempts({ url: config.redis.url, logger })
  : createMemoryLoginAttempts();
const users = config.auth.usersFile ? await loadUserDirectory(config.auth.usersFile) : undefined;

const service = createIngestService({ config, ...adapters, logger, metrics, loginAttempts, ...(users ? { users } : {}) });
await service.start();
const server = createServer(service.callback()).listen(config.http.port, () => logger.info({ port: config.http.port }, 'ingest listening'));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'ingest stopping');
  server.close();
  await service.stop(config.shutdown.graceSeconds * 1000);
  server.closeAllConnections();
  await Promise.allSettled([adapters.close(), loginAttempts.close?.()]);
  logger.info('ingest stopped');
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
