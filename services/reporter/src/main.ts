/** The reporter process: wiring only (STYLE "main.ts only wires"). */
import { createAdapters, createLogger, loadConfigOrExit } from '@artifact-pipeline/shared';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { startTelemetry } from '@artifact-pipeline/shared/telemetry/sdk';
import { createHealthServer } from '@artifact-pipeline/shared/worker/health-server';
import { SERVICE, createReporterService } from './reporter-service.js';

const config = loadConfigOrExit(process.env, SERVICE);
const logger = createLogger({ service: SERVICE, level: config.log.level });
const telemetry = startTelemetry({ service: SERVICE, logger });
const metrics = createMetrics({ service: SERVICE });
const adapters = await createAdapters(config, { logger, service: SERVICE });
const reporter = createReporterService({ config, ...adapters, logger, metrics });
const server = createHealthServer({ ready: reporter.ready, registry: metrics.registry });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, graceSeconds: config.shutdown.graceSeconds }, 'stopping: finishing or releasing the jobs in hand');
  await reporter.stop(config.shutdown.graceSeconds * 1000).catch((err: unknown) => logger.error({ err }, 'stop failed'));
  await new Promise((resolve) => server.close(resolve));
  await adapters.close();
  await telemetry.shutdown();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

server.listen(config.http.port, () => logger.info({ port: config.http.port }, 'health endpoints listening'));
await reporter.start();
