/**
 * Every service in one process on ONE HTTP server (`artifacts dev` / `npm start`):
 * ingest's routes, status's routes, the local object handler (signed download and upload
 * URLs) and health, over the adapters wiring.ts picks — the memory bus, the local folder
 * store and the memory job store by default; SQS/Kafka, S3 and Redis when BUS,
 * AWS_ENDPOINT_URL and REDIS_URL say so. The same service code as production: only the
 * adapters differ. The folder watcher stands in for S3 notifications when storage is local.
 *
 * Local mode creates the bus's topics (queues with their dead letters) before starting, as
 * `artifacts provision` does for a deploy; the services only resolve them.
 *
 * Defaults that differ from a service's: AUTH_MODE=none (announced loudly; set AUTH_MODE
 * to keep jwt) and LOG_LEVEL=warn (the per-job lines are the output; set LOG_LEVEL for more).
 *
 * Bind address: with AUTH_MODE=none every request has admin rights, so the server listens on
 * 127.0.0.1 only; `HOST` overrides it (with a warning on every start). With AUTH_MODE=jwt it
 * listens on every interface, as the services do, unless `HOST` names one.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Topic, createAdapters, createLogger, loadConfig, type Adapters, type Env } from '@artifact-pipeline/shared';
import { createLocalObjectHandler } from '@artifact-pipeline/shared/adapters/local-object-handler';
import { loadUserDirectory } from '@artifact-pipeline/shared/http/auth-users';
import { mountHealthRoutes } from '@artifact-pipeline/shared/http/health-routes';
import { createRouter, type HttpRouter } from '@artifact-pipeline/shared/http/router';
import { listen, type Served } from '@artifact-pipeline/shared/http/serve';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { announcingJobStore } from './job-announcer.js';
import { createObjectSources } from './local-notifications.js';
import { abortLeftoverUploads } from './local-stale-uploads.js';
import { loadServiceModules } from './service-modules.js';

/** Where local mode listens while AUTH_MODE=none. */
export const LOOPBACK = '127.0.0.1';

/** 127.0.0.0/8, ::1 and `localhost`: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface LocalModeOptions {
  env: Env;
  /** Where the announcements and per-job lines go (stdout). */
  print: (line: string) => void;
  /** Interface to bind; default `env.HOST`, else 127.0.0.1 with AUTH_MODE=none and every interface with jwt. */
  host?: string;
  /** Folder watcher poll interval in ms (default 500). */
  watchIntervalMs?: number;
}

export interface LocalMode {
  /** The API's base URL (PUBLIC_BASE_URL). */
  url: string;
  port: number;
  /** The address the server is bound to: `127.0.0.1`, `::` (every interface), or HOST. */
  address: string;
  stop(deadlineMs?: number): Promise<void>;
}

export async function startLocalMode({ env, print, host, watchIntervalMs }: LocalModeOptions): Promise<LocalMode> {
  const authDefaulted = env.AUTH_MODE === undefined || env.AUTH_MODE === '';
  const config = loadConfig({ ...env, ...(authDefaulted ? { AUTH_MODE: 'none' } : {}), LOG_LEVEL: env.LOG_LEVEL || 'warn' });
  const logger = createLogger({ service: 'local', level: config.log.level });
  const metrics = createMetrics({ service: 'local' });
  const m = await loadServiceModules();

  const created = await createAdapters(config, { logger, service: 'local' });
  // Every service of the process writes through the announcer (adapters.close closes the store).
  const adapters: Adapters = { ...created, jobs: announcingJobStore(created.jobs, config.http.publicBaseUrl, print) };
  // Local mode provisions what it uses, as `artifacts provision` does before a deploy: the
  // services themselves only resolve their topics.
  for (const topic of [Topic.zipCommands, Topic.reportCommands, Topic.events, Topic.inbound]) await created.bus.ensureTopic(topic);
  if (adapters.localObjects) await mkdir(join(config.local.dataDir, config.s3.artifactsBucket, 'inbox'), { recursive: true });
  // Before any worker starts: what is unfinished now was left by an earlier run.
  if (adapters.localObjects) await abortLeftoverUploads(adapters.localObjects, config.s3.artifactsBucket, logger);

  const status = m.createStatusService({
    ...adapters,
    artifactsBucket: config.s3.artifactsBucket,
    downloadUrlTtlSeconds: config.s3.downloadUrlTtlSeconds,
    // ingest's bearer auth runs before every /v1 router it mounts: the principal is set
    auth: async (_ctx, next) => next(),
    webhook: config.webhook,
    logger,
    metrics,
  });
  let draining: string | undefined;
  const health = createRouter();
  mountHealthRoutes(health, {
    registry: metrics.registry,
    readiness: [{ name: 'jobs', check: () => adapters.jobs.ping() }, { name: 'bus', check: () => adapters.bus.ping() }],
    notReadyReason: () => draining,
  });
  const sources = await createObjectSources({ config, adapters, modules: m, logger, metrics, ...(watchIntervalMs ? { watchIntervalMs } : {}) });
  // AUTH_USERS_FILE, as ingest's main loads it: POST /v1/auth/token answers 501 without it.
  const users = config.auth.usersFile ? await loadUserDirectory(config.auth.usersFile) : undefined;
  const ingest = m.createIngestService({
    config,
    ...adapters,
    ...(users ? { users } : {}),
    logger,
    metrics,
    consumers: sources.consumers,
    publicRouters: [health],
    routers: [status.router as unknown as HttpRouter],
  });
  const zipper = m.createZipperService({ config, ...adapters, logger, metrics });
  const reporter = m.createReporterService({ config, ...adapters, logger, metrics });

  const hostOverride = host ?? (env.HOST ? env.HOST : undefined);
  const bindHost = hostOverride ?? (config.auth.mode === 'none' ? LOOPBACK : undefined);
  const app = ingest.callback();
  const objectHandler = adapters.localObjects ? createLocalObjectHandler(adapters.localObjects) : undefined;
  await Promise.all([status.start(), zipper.start(), reporter.start(), ingest.start()]);
  const served: Served = await listen((req, res) => {
    if (!objectHandler?.(req, res)) void app(req, res);
  }, { port: config.http.port, keepAliveSeconds: config.http.keepAliveSeconds, ...(bindHost ? { host: bindHost } : {}) });

  sources.start(ingest.accept);

  const bound = served.server.address() as AddressInfo;
  const port = bound.port;
  announce(print, { config, authDefaulted, url: config.http.publicBaseUrl, storage: adapters.localObjects ? config.local.dataDir : undefined });
  print(`listening on ${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${port}`);
  if (config.auth.mode === 'none' && hostOverride !== undefined && !isLoopback(hostOverride)) {
    const warning = `HOST=${hostOverride} with AUTH_MODE=none: anyone who can reach this port has admin rights and presigned uploads`;
    print(`!!! ${warning}.`);
    logger.warn({ host: hostOverride }, warning);
  }

  return {
    url: config.http.publicBaseUrl,
    port,
    address: bound.address,
    async stop(deadlineMs = config.shutdown.graceSeconds * 1000) {
      draining = 'stopping';
      await Promise.allSettled([ingest.stop(deadlineMs), zipper.stop(deadlineMs), reporter.stop(deadlineMs)]);
      await sources.stop();
      await status.stop(Math.min(deadlineMs, 5_000)).catch(() => undefined);
      await served.close(Math.min(deadlineMs, 5_000));
      await adapters.close();
    },
  };
}

function announce(
  print: (line: string) => void,
  { config, authDefaulted, url, storage }: { config: ReturnType<typeof loadConfig>; authDefaulted: boolean; url: string; storage: string | undefined },
): void {
  if (config.auth.mode === 'none') {
    print('!!! AUTH_MODE=none: no token is checked, every request acts as owner "local" with admin rights.');
    print(`!!! ${authDefaulted ? 'This is the local-mode default; set AUTH_MODE=jwt (with AUTH_JWT_SECRET) before exposing this port.' : 'Set by AUTH_MODE. For local use only.'}`);
  }
  print(`artifact-pipeline local mode: API ${url}  (bus ${config.bus.kind}, jobs ${config.redis.url ? 'redis' : 'memory'}, storage ${storage ?? 's3'})`);
  if (storage !== undefined) {
    print(`drop files into ${join(storage, config.s3.artifactsBucket, 'inbox', '<owner>', '<batch>')}/ then create an empty _READY file there to zip them`);
  }
}
