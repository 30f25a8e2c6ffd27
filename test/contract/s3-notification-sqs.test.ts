/**
 * Real S3 → SQS event notifications (moto), read through the SQS bus's consumeRaw: the
 * s3:TestEvent S3 sends when the configuration is saved, then S3 event JSON 2.1 records
 * whose object keys are form-encoded (DESIGN §7: `+` = space; moto also encodes `/`).
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Bus, Subscription } from '@artifact-pipeline/shared';
import { createSqsBus } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { queueNameFor } from '@artifact-pipeline/shared/adapters/sqs-queues';
import { awsTestConfig, servers, uniqueName, waitFor } from '../harness/support.js';

interface S3Record {
  eventVersion: string;
  eventSource: string;
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size: number; eTag?: string; sequencer?: string } };
}
type Notification = { Event?: string; Bucket?: string; Records?: S3Record[] };

interface Ctx {
  bus: Bus;
  s3: S3Client;
  sqs: SQSClient;
  bucket: string;
  keys: string[];
  subscription?: Subscription;
}

const aws = awsTestConfig(servers().awsEndpointUrl);

/** How S3 keys in notifications are written: form-encoded, '+' for a space. */
function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

const Notify = suite<Ctx>('S3 ObjectCreated → SQS → consumeRaw', { keys: [] } as unknown as Ctx);

Notify.before((ctx) => {
  ctx.bus = createSqsBus({ ...aws, maxAttempts: 3, waitTimeSeconds: 1, visibilityTimeoutSeconds: 5 });
  ctx.s3 = new S3Client(aws);
  ctx.sqs = new SQSClient(aws);
  ctx.bucket = uniqueName('notify');
});

Notify.after(async (ctx) => {
  await ctx.subscription?.stop(1_000);
  for (const key of ctx.keys) await ctx.s3.send(new DeleteObjectCommand({ Bucket: ctx.bucket, Key: key })).catch(() => {});
  await ctx.s3.send(new DeleteBucketCommand({ Bucket: ctx.bucket })).catch(() => {});
  await ctx.bus.close();
  ctx.s3.destroy();
  ctx.sqs.destroy();
});

Notify('delivers the test event, then the created object with its key form-encoded', async (ctx) => {
  const { bus, s3, sqs, bucket } = ctx;
  const topic = uniqueName('s3-notifications');
  await bus.ensureTopic(topic);
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueNameFor('', topic) }));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  assert.ok(arn, 'the queue has an ARN');

  const bodies: Notification[] = [];
  ctx.subscription = await bus.consumeRaw(topic, async (body) => void bodies.push(body as Notification), { concurrency: 4 });

  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            QueueArn: arn,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'inbox/' }] } },
          },
        ],
      },
    }),
  );
  await waitFor(() => bodies.some((b) => b.Event === 's3:TestEvent'), 's3:TestEvent', { timeoutMs: 15_000 });
  assert.is(bodies.find((b) => b.Event === 's3:TestEvent')?.Bucket, bucket);

  // Outside the prefix first: no notification; then two keys that need encoding.
  const keys = ['outbox/team a/skip.txt', 'inbox/team a/x.txt', 'inbox/team a/report+final ü.txt'];
  ctx.keys.push(...keys);
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));

  const records = (): S3Record[] => bodies.flatMap((b) => b.Records ?? []);
  await waitFor(() => records().length >= 2, 'two ObjectCreated records', { timeoutMs: 15_000 });
  const byKey = new Map(records().map((r) => [decodeS3Key(r.s3.object.key), r]));
  assert.equal([...byKey.keys()].sort(), ['inbox/team a/report+final ü.txt', 'inbox/team a/x.txt']);

  const record = byKey.get('inbox/team a/x.txt')!;
  assert.is(record.eventVersion, '2.1');
  assert.is(record.eventSource, 'aws:s3');
  assert.match(record.eventName, /^ObjectCreated:/);
  assert.is(record.s3.bucket.name, bucket);
  assert.is(record.s3.object.size, Buffer.byteLength('body of inbox/team a/x.txt'));
  assert.ok(record.s3.object.key.includes('+'), `the space arrives as '+' (${record.s3.object.key})`);
  assert.not.ok(record.s3.object.key.includes(' '), 'no raw space in the key');
  const tricky = byKey.get('inbox/team a/report+final ü.txt')!;
  assert.ok(tricky.s3.object.key.includes('%2B'), `a literal '+' arrives as %2B (${tricky.s3.object.key})`);
  assert.equal(await bus.drainDeadLetters(topic), [], 'nothing dead-lettered');
});

Notify.run();
