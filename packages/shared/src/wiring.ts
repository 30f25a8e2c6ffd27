/**
 * Builds the adapters a service needs from its Config: the only place that chooses between
 * SQS, Kafka and memory, S3 and a local folder, Redis and memory. Adapters are imported
 * lazily so a service in local mode never loads an SDK it does not use.
 *
 * Storage: a local folder (LOCAL_DATA_DIR) when BUS=memory and no AWS_ENDPOINT_URL is set —
 * the all-in-one local mode; S3 otherwise. Job store and leases: Redis when REDIS_URL is set,
 * memory otherwise.
 */
import { randomBytes } from 'node:crypto';
import { READINESS_PROBES, isAwsServiceName } from './aws-permissions.js';
import type { Config } from './config/index.js';
import type { Logger } from './logger.js';
import type { Bus } from './ports/bus.js';
import type { JobStore } from './ports/job-store.js';
import type { Leases } from './ports/lease.js';
import type { ObjectStore } from './ports/object-store.js';
import type { LocalObjectStore } from './adapters/local-object-store.js';

export interface Adapters {
  bus: Bus;
  objects: ObjectStore;
  jobs: JobStore;
  leases: Leases;
  /** Set in local mode: the HTTP server must serve its signed URLs (createLocalObjectHandler). */
  localObjects?: LocalObjectStore;
  close(): Promise<void>;
}

export interface AdapterOverrides {
  bus?: Bus;
  objects?: ObjectStore;
  jobs?: JobStore;
  leases?: Leases;
}

export function usesLocalStorage(config: Config): boolean {
  return config.bus.kind === 'memory' && config.aws.endpoint === undefined;
}

export async function createAdapters(
  config: Config,
  { logger, service, overrides = {} }: { logger: Logger; service: string; overrides?: AdapterOverrides },
): Promise<Adapters> {
  const bus = overrides.bus ?? (await createBus(config, logger, service));
  const storage = overrides.objects ? { objects: overrides.objects } : await createObjects(config, logger, service);
  const { jobs, leases } = await createJobState(config, logger, overrides, service);
  return {
    bus,
    objects: storage.objects,
    jobs,
    leases,
    ...('local' in storage && storage.local ? { localObjects: storage.local } : {}),
    async close() {
      await Promise.allSettled([bus.close(), jobs.close(), closeLeases(leases)]);
    },
  };
}

async function createBus(config: Config, logger: Logger, service: string): Promise<Bus> {
  const common = { maxAttempts: config.worker.maxAttempts, logger };
  switch (config.bus.kind) {
    case 'sqs': {
      const { createSqsBus } = await import('./adapters/sqs-bus.js');
      return createSqsBus({
        ...common,
        region: config.aws.region,
        ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
        queueNamePrefix: config.bus.queueNamePrefix,
        ...(config.bus.queueUrlBase ? { queueUrlBase: config.bus.queueUrlBase } : {}),
      });
    }
    case 'kafka': {
      const { createKafkaBus } = await import('./adapters/kafka-bus.js');
      return createKafkaBus({
        ...common,
        brokers: config.kafka.brokers,
        clientId: `${config.kafka.clientId}-${service}`,
        groupPrefix: `${config.bus.topicPrefix}artifact-pipeline.`,
        topicPrefix: config.bus.topicPrefix,
        stopDeadlineMs: config.shutdown.graceSeconds * 1000,
      });
    }
    case 'memory': {
      const { createMemoryBus } = await import('./adapters/memory-bus.js');
      return createMemoryBus(common);
    }
  }
}

async function createObjects(
  config: Config,
  logger: Logger,
  service: string,
): Promise<{ objects: ObjectStore; local?: LocalObjectStore }> {
  if (usesLocalStorage(config)) {
    const { createLocalObjectStore } = await import('./adapters/local-object-store.js');
    // Signed local URLs only need to outlive this process: a fresh key per start.
    const local = createLocalObjectStore({
      root: config.local.dataDir,
      publicBaseUrl: config.http.publicBaseUrl,
      signingSecret: randomBytes(32).toString('hex'),
    });
    return { objects: local, local };
  }
  const { createS3ObjectStore } = await import('./adapters/s3-object-store.js');
  return {
    objects: createS3ObjectStore({
      region: config.aws.region,
      ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
      forcePathStyle: config.s3.forcePathStyle,
      ...readinessProbe(config, service),
      logger,
    }),
  };
}

/**
 * Services whose job store answers HTTP requests: their Redis calls fail within about a
 * second (503 UNAVAILABLE) instead of waiting out a reconnect (redis-connection.ts). Their
 * consumers (the status projector, ingest's notification consumers) retry on their own.
 * Workers keep ioredis' patient defaults.
 */
const REQUEST_PATH_SERVICES: ReadonlySet<string> = new Set(['ingest', 'status']);

/**
 * What the object store's ping() (/readyz) checks: for a service, one key listed under the
 * prefix its role may list (aws-permissions.ts); for tools, HeadBucket on the artifacts bucket.
 */
function readinessProbe(config: Config, service: string): { pingBucket: string; pingPrefix?: string } {
  if (!isAwsServiceName(service)) return { pingBucket: config.s3.artifactsBucket };
  const probe = READINESS_PROBES[service];
  return { pingBucket: probe.bucket === 'uploads' ? config.s3.uploadsBucket : config.s3.artifactsBucket, pingPrefix: probe.prefix };
}

async function createJobState(
  config: Config,
  logger: Logger,
  overrides: AdapterOverrides,
  service: string,
): Promise<{ jobs: JobStore; leases: Leases }> {
  const retentionSeconds = config.jobs.retentionDays * 86_400;
  if (config.redis.url === undefined) {
    const { createMemoryJobStore } = await import('./adapters/memory-job-store.js');
    const { createMemoryLeases } = await import('./adapters/memory-leases.js');
    return {
      jobs: overrides.jobs ?? createMemoryJobStore({ retentionSeconds }),
      leases: overrides.leases ?? createMemoryLeases(),
    };
  }
  const { createRedisJobStore } = await import('./adapters/redis-job-store.js');
  const { createRedisLeases } = await import('./adapters/redis-leases.js');
  return {
    jobs:
      overrides.jobs ??
      createRedisJobStore({
        url: config.redis.url,
        retentionSeconds,
        logger,
        patience: REQUEST_PATH_SERVICES.has(service) ? 'request' : 'background',
      }),
    leases: overrides.leases ?? createRedisLeases({ url: config.redis.url }),
  };
}

async function closeLeases(leases: Leases): Promise<void> {
  const closable = leases as Leases & { close?: () => Promise<void> };
  if (typeof closable.close === 'function') await closable.close();
}

/**
 * The bus S3 event notifications are read from (S3_NOTIFICATIONS_QUEUE): always SQS, since
 * S3 cannot notify Kafka (DESIGN §4). With BUS=sqs it is the service's own bus; otherwise a
 * separate SQS bus, which the caller closes (`owned`). Undefined when no queue is configured.
 */
export async function createNotificationsBus(
  config: Pick<Config, 's3' | 'bus' | 'aws' | 'worker'>,
  { bus, logger }: { bus: Bus; logger: Logger },
): Promise<{ bus: Bus; queue: string; owned: boolean } | undefined> {
  const queue = config.s3.notificationsQueue;
  if (queue === undefined) return undefined;
  if (config.bus.kind === 'sqs') return { bus, queue, owned: false };
  const { createSqsBus } = await import('./adapters/sqs-bus.js');
  const own = createSqsBus({
    region: config.aws.region,
    ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
    queueNamePrefix: config.bus.queueNamePrefix,
    ...(config.bus.queueUrlBase ? { queueUrlBase: config.bus.queueUrlBase } : {}),
    maxAttempts: config.worker.maxAttempts,
    logger,
  });
  return { bus: own, queue, owned: true };
}
