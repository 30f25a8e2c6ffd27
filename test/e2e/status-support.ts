/**
 * The status service end to end, in process: real Redis (own key prefix), moto S3 (own
 * bucket), a real bus (SQS or Kafka, own queue/topic prefix), the shared HTTP kernel with the
 * real bearer-token middleware, listening on 127.0.0.1. Tokens are real HS256 JWTs.
 */
import { Readable } from 'node:stream';
import { Redis } from 'ioredis';
import { silentLogger, type Bus, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createKafkaBus } from '@artifact-pipeline/shared/adapters/kafka-bus';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { createS3ObjectStore, type S3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { createSqsBus } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { createHttpApp } from '@artifact-pipeline/shared/http/app';
import { bearerAuth } from '@artifact-pipeline/shared/http/auth';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import type { HttpRouter } from '@artifact-pipeline/shared/http/router';
import { listen, type Served } from '@artifact-pipeline/shared/http/serve';
import { createMetrics, type Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import type { StatusMiddleware } from '../../services/status/src/principal.js';
import { createStatusService, type StatusService, type StatusServiceDeps } from '../../services/status/src/status-service.js';
import { awsTestConfig, servers, uniqueName } from '../harness/support.js';

export type Transport = 'sqs' | 'kafka' | 'none';
export const JWT_SECRET = 'status-e2e-secret-0123456789abcdef';

export interface StatusWorld {
  name: string;
  keyPrefix: string;
  bucket: string;
  jobs: JobStore;
  objects: S3ObjectStore;
  bus: Bus | undefined;
  metrics: Metrics;
  service: StatusService;
  served: Served;
  url: string;
  token(owner: string, admin?: boolean): Promise<string>;
  publish(events: PipelineEvent[]): Promise<void>;
  close(): Promise<void>;
}

export function createBus(transport: Exclude<Transport, 'none'>, prefix: string): Bus {
  const { kafkaBrokers, awsEndpointUrl } = servers();
  if (transport === 'sqs') {
    return createSqsBus({ ...awsTestConfig(awsEndpointUrl), queueNamePrefix: prefix, maxAttempts: 5, waitTimeSeconds: 1, backoff: { baseMs: 50, maxMs: 500 } });
  }
  return createKafkaBus({
    brokers: kafkaBrokers, clientId: prefix, topicPrefix: prefix, groupPrefix: prefix, maxAttempts: 5,
    backoff: { baseMs: 50, maxMs: 500 }, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000, fetchMaxWaitMs: 200, stopDeadlineMs: 10_000,
  });
}

export function createTestJobStore(keyPrefix: string, redisUrl = servers().redisUrl): JobStore {
  return createRedisJobStore({ url: redisUrl, keyPrefix });
}

export async function createStatusWorld(
  transport: Transport,
  extra: Partial<Pick<StatusServiceDeps, 'webhook' | 'journal' | 'heartbeatMs'>> & { start?: boolean } = {},
): Promise<StatusWorld> {
  const { awsEndpointUrl } = servers();
  const name = uniqueName('status');
  const keyPrefix = `${name}:`;
  const jobs = createTestJobStore(keyPrefix);
  const objects = createS3ObjectStore({ ...awsTestConfig(awsEndpointUrl) });
  await objects.ensureBucket(name);
  const bus = transport === 'none' ? undefined : createBus(transport, `${name}-`);
  // what `artifacts provision` does before a deploy: the service only resolves the topic
  await bus?.ensureTopic('artifacts.events');
  const metrics = createMetrics({ service: 'status', defaultMetrics: false });
  const logger = silentLogger();
  const service = createStatusService({
    jobs, objects, metrics, logger,
    bus: bus ?? ({ ensureTopic: async () => undefined, resolveTopic: async () => undefined, consume: async () => ({ stop: async () => undefined }) } as unknown as Bus),
    artifactsBucket: name,
    downloadUrlTtlSeconds: 600,
    auth: bearerAuth({ auth: { mode: 'jwt', jwtSecret: JWT_SECRET, jwksUrl: undefined, usersFile: undefined }, logger }) as unknown as StatusMiddleware,
    ...extra,
  });
  const http = createHttpApp({ service: 'status', logger, metrics, routers: [service.router as unknown as HttpRouter] });
  if (extra.start !== false) await service.start();
  const served = await listen(http.app, { port: 0, host: '127.0.0.1' });
  return {
    name, keyPrefix, bucket: name, jobs, objects, bus, metrics, service, served, url: served.url,
    token: (owner, admin = false) => issueToken({ secret: JWT_SECRET, subject: owner, scopes: admin ? ['admin'] : [] }),
    async publish(events) {
      for (const event of events) await bus!.publish('artifacts.events', event);
    },
    async close() {
      await served.close(1_000);
      await service.stop(5_000);
      await bus?.close();
      await jobs.close();
      await objects.removeBucket(name).catch(() => undefined);
      await objects.close();
      await deleteRedisPrefix(keyPrefix);
    },
  };
}

/** Puts `body` at `key` of the world's bucket (the artifact a worker would have written). */
export async function putArtifact(world: StatusWorld, key: string, body: string): Promise<void> {
  await world.objects.put(world.bucket, key, Readable.from([Buffer.from(body)]), { contentType: 'application/zip' });
}

/** Deletes every key under `prefix` (SCAN, so the shared server is never blocked). */
export async function deleteRedisPrefix(prefix: string, url = servers().redisUrl): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
