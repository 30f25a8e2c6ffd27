/**
 * S3 drops through real moto bucket notifications (S3 → SQS) into ingest, on real Redis:
 * files, then the `_READY` marker uploaded by multipart (moto then sends an extra
 * ObjectCreated:Put before CompleteMultipartUpload, and no sequencer at all), then the
 * same notification body sent to the queue again.
 */
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_INGEST_RULES, Topic, silentLogger, type Bus, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createSqsBus } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { queueNameFor } from '@artifact-pipeline/shared/adapters/sqs-queues';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { createMetrics, type Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { createIngestService, type IngestService } from '../../services/ingest/src/ingest-service.js';
import { createRuleMatcher } from '../../services/ingest/src/rules-match.js';
import { s3NotificationConsumer } from '../../services/ingest/src/s3-notifications.js';
import { awsTestConfig, servers, uniqueName, waitFor } from '../harness/support.js';

interface Ctx {
  prefix: string;
  bus: Bus;
  jobs: JobStore;
  s3: S3Client;
  sqs: SQSClient;
  metrics: Metrics;
  service: IngestService;
  bucket: string;
  queueUrl: string;
  bodies: unknown[];
  commands: PipelineEvent[];
}

const aws = awsTestConfig(servers().awsEndpointUrl);

/** The bus, with every raw body the consumer receives recorded (to send one again). */
function recording(bus: Bus, bodies: unknown[]): Bus {
  return { ...bus, consumeRaw: (topic, handler, options) => bus.consumeRaw(topic, (body, d) => (bodies.push(body), handler(body, d)), options) };
}

async function count(metrics: Metrics, outcome: string): Promise<number> {
  return (await metrics.s3NotificationsTotal.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

const Drop = suite<Ctx>('S3 drop → ingest (moto notifications, Redis, SQS)', {} as Ctx);

Drop.before(async (ctx) => {
  ctx.prefix = `${uniqueName('s3drop')}-`;
  ctx.bus = createSqsBus({ ...aws, queueNamePrefix: ctx.prefix, maxAttempts: 3, waitTimeSeconds: 1, visibilityTimeoutSeconds: 10, logger: silentLogger() });
  ctx.jobs = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${ctx.prefix}:`, logger: silentLogger() });
  ctx.s3 = new S3Client(aws);
  ctx.sqs = new SQSClient(aws);
  ctx.metrics = createMetrics({ service: 'ingest-s3-e2e', defaultMetrics: false });
  ctx.bucket = uniqueName('drops');
  ctx.bodies = [];
  ctx.commands = [];
  await ctx.bus.ensureTopic(Topic.s3Notifications);
  await ctx.bus.ensureTopic(Topic.zipCommands);
  const { QueueUrl } = await ctx.sqs.send(new GetQueueUrlCommand({ QueueName: queueNameFor(ctx.prefix, Topic.s3Notifications) }));
  ctx.queueUrl = QueueUrl!;
  const arn = (await ctx.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  await ctx.s3.send(new CreateBucketCommand({ Bucket: ctx.bucket }));
  await ctx.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: ctx.bucket,
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn: arn, Events: ['s3:ObjectCreated:*'] }] },
    }),
  );
  ctx.service = createIngestService({
    config: {
      s3: { artifactsBucket: ctx.bucket, uploadsBucket: ctx.bucket, allowedSourceBuckets: [], forcePathStyle: true, downloadUrlTtlSeconds: 3600, notificationsQueue: Topic.s3Notifications },
      auth: { mode: 'none', jwtSecret: undefined, jwksUrl: undefined, usersFile: undefined },
    },
    bus: ctx.bus,
    jobs: ctx.jobs,
    objects: undefined as never,
    logger: silentLogger(),
    metrics: ctx.metrics,
    consumers: [s3NotificationConsumer({ bus: recording(ctx.bus, ctx.bodies), matcher: createRuleMatcher(DEFAULT_INGEST_RULES), metrics: ctx.metrics, concurrency: 2 })],
  });
  await ctx.service.start();
  await ctx.bus.consume(Topic.zipCommands, async (event) => void ctx.commands.push(event));
});

Drop.after(async (ctx) => {
  await ctx.service?.stop(1_000);
  await ctx.bus?.close();
  await ctx.jobs?.close();
  ctx.s3?.destroy();
  ctx.sqs?.destroy();
});

Drop('files then a multipart _READY make one zip command and one queued job for team-a', async (ctx) => {
  const { s3, bucket } = ctx;
  await waitFor(async () => (await count(ctx.metrics, 'test')) >= 1, 'the s3:TestEvent acknowledged', { timeoutMs: 15_000 });
  for (const name of ['a.txt', 'sub dir/b.txt']) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `inbox/team-a/batch1/${name}`, Body: `file ${name}` }));
  }
  const Key = 'inbox/team-a/batch1/_READY';
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
  const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: 'ready' }));
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));

  // Two unmatched files; the marker's two events: one matched, one duplicate.
  await waitFor(async () => (await count(ctx.metrics, 'unmatched')) >= 2 && (await count(ctx.metrics, 'matched')) + (await count(ctx.metrics, 'duplicate')) >= 2,
    'every notification handled', { timeoutMs: 20_000 });
  assert.is(await count(ctx.metrics, 'matched'), 1);
  await waitFor(() => ctx.commands.length >= 1, 'the zip command', { timeoutMs: 15_000 });

  const { items } = await ctx.jobs.list({ owner: 'team-a' });
  assert.is(items.length, 1, 'one job');
  assert.is(items[0]!.status, 'queued');
  assert.equal(items[0]!.input, { bucket, prefix: 'inbox/team-a/batch1/', name: 'batch1.zip', compression: 'auto' });
  const data = ctx.commands[0]!.data as { jobId: string; owner: string; source: unknown };
  assert.is(data.jobId, items[0]!.id);
  assert.is(data.owner, 'team-a');
  assert.equal(data.source, { bucket, prefix: 'inbox/team-a/batch1/', marker: Key });
});

Drop('the same notification body sent again makes no second job', async (ctx) => {
  const markerBody = ctx.bodies.find((b) => JSON.stringify(b).includes('_READY'));
  assert.ok(markerBody, 'the marker notification was received');
  const before = await count(ctx.metrics, 'duplicate');
  await ctx.sqs.send(new SendMessageCommand({ QueueUrl: ctx.queueUrl, MessageBody: JSON.stringify(markerBody) }));
  await waitFor(async () => (await count(ctx.metrics, 'duplicate')) > before, 'the copy counted as duplicate', { timeoutMs: 15_000 });
  assert.is((await ctx.jobs.list({ owner: 'team-a' })).items.length, 1);
  assert.is(await count(ctx.metrics, 'matched'), 1);
  assert.is(ctx.commands.length, 1);
});

Drop('non-matching keys are acknowledged, not dead-lettered', async (ctx) => {
  await ctx.s3.send(new PutObjectCommand({ Bucket: ctx.bucket, Key: 'elsewhere/readme.md', Body: 'x' }));
  await waitFor(async () => (await count(ctx.metrics, 'unmatched')) >= 3, 'the key counted as unmatched', { timeoutMs: 15_000 });
  assert.equal(await ctx.bus.drainDeadLetters(Topic.s3Notifications), []);
  assert.is((await ctx.jobs.list({})).items.length, 1);
});

Drop.run();
