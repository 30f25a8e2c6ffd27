/**
 * The process around a job worker (zipper, reporter): configuration from the environment,
 * logs, traces, metrics, adapters, the health server (/healthz, /readyz, /metrics), and the
 * SIGTERM drain of DESIGN §4 — stop taking work, give what is in flight
 * SHUTDOWN_GRACE_SECONDS, abort what is left (its multipart uploads too), exit 0.
 */
import { loadConfigOrExit, type Config } from '../config/index.js';
import { createLogger, routeProcessWarnings } from '../logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { startTelemetry } from '../telemetry/sdk.js';
import { startOrExit } from '../start-failure.js';
import { createAdapters } from '../wiring.js';
import { createHealthServer } from './health-server.js';
import type { WorkerService, WorkerServiceDeps } from './worker-service.js';

export async function runWorkerMain(service: string, create: (deps: WorkerServiceDeps & { config: Config }) => WorkerService): Promise<void> {
  const config = loadConfigOrExit(process.env, service);
  const logger = createLogger({ service, level: config.log.level });
  routeProcessWarnings(logger);
  const telemetry = startTelemetry({ service, logger });
  const metrics = createMetrics({ service });
  const adapters = await startOrExit(logger, () => createAdapters(config, { logger, service }));
  if (!adapters) return;
  const worker = create({ config, ...adapters, logger, metrics });
  const server = createHealthServer({ ready: worker.ready, registry: metrics.registry });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceSeconds: config.shutdown.graceSeconds }, 'stopping: finishing or releasing the jobs in hand');
    await worker.stop(config.shutdown.graceSeconds * 1000).catch((err: unknown) => logger.error({ err }, 'stop failed'));
    await new Promise((resolve) => server.close(resolve));
    await adapters.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  server.listen(config.http.port, () => logger.info({ port: config.http.port }, 'health endpoints listening'));
  await startOrExit(logger, () => worker.start());
}
