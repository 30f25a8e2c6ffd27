/**
 * Points a bucket's ObjectCreated notifications for a key prefix at an SQS queue, with the
 * queue policy that lets S3 send there (docs.aws.amazon.com/AmazonS3/latest/userguide/
 * ways-to-add-notification-config-to-bucket.html): `artifacts provision` calls it once per
 * environment. Idempotent: a configuration already naming this queue and prefix is kept
 * (`found`); otherwise it is added to the bucket's other configurations (`created`) — S3's
 * PutBucketNotificationConfiguration replaces the whole set, so the existing ones are read first.
 */
import { GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand, type QueueConfiguration } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createS3Clients, type S3ConnectionOptions } from './s3-client.js';

export interface BucketNotificationOptions extends S3ConnectionOptions {
  bucket: string;
  /** The SQS queue's name (already created, e.g. by Bus.ensureTopic). */
  queueName: string;
  /** Key prefix filter, e.g. 'inbox/'. */
  prefix: string;
}

export interface BucketNotificationResult {
  outcome: 'created' | 'found';
  queueArn: string;
}

function sendPolicy(queueArn: string, bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Sid: `s3-notifications-${bucket}`.slice(0, 100),
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queueArn,
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${bucket}` } },
    }],
  });
}

function hasPrefixRule(config: QueueConfiguration, queueArn: string, prefix: string): boolean {
  if (config.QueueArn !== queueArn) return false;
  const rules = config.Filter?.Key?.FilterRules ?? [];
  return rules.some((r) => r.Name?.toLowerCase() === 'prefix' && r.Value === prefix);
}

export async function ensureBucketNotification(options: BucketNotificationOptions): Promise<BucketNotificationResult> {
  const { bucket, queueName, prefix, ...connection } = options;
  const s3 = createS3Clients(connection);
  const sqs = new SQSClient({
    region: connection.region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
  });
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const queueArn = attrs.Attributes?.QueueArn;
    if (!QueueUrl || !queueArn) throw new Error(`queue ${queueName} has no URL or ARN`);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: sendPolicy(queueArn, bucket) } }));

    const current = await s3.client.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    const queues = current.QueueConfigurations ?? [];
    if (queues.some((q) => hasPrefixRule(q, queueArn, prefix))) return { outcome: 'found', queueArn };
    await s3.client.send(new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        ...(current.TopicConfigurations ? { TopicConfigurations: current.TopicConfigurations } : {}),
        ...(current.LambdaFunctionConfigurations ? { LambdaFunctionConfigurations: current.LambdaFunctionConfigurations } : {}),
        ...(current.EventBridgeConfiguration ? { EventBridgeConfiguration: current.EventBridgeConfiguration } : {}),
        QueueConfigurations: [
          ...queues,
          { QueueArn: queueArn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } } },
        ],
      },
    }));
    return { outcome: 'created', queueArn };
  } finally {
    s3.destroy();
    sqs.destroy();
  }
}
