/**
 * Settings shared by the SQS bus test files: moto's address, bus options small enough for
 * fast tests (JSON-safe, so a child process can build the same bus), topic naming.
 */
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SqsBusOptions } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { queueNameFor } from '@artifact-pipeline/shared/adapters/sqs-queues';
import { awsTestConfig, servers, uniqueName } from '../harness/support.js';

export const MAX_ATTEMPTS = 3;
export const aws = awsTestConfig(servers().awsEndpointUrl);

export const busOptions = {
  region: aws.region,
  endpoint: aws.endpoint,
  credentials: aws.credentials,
  maxAttempts: MAX_ATTEMPTS,
  // Short enough that a dead consumer's message is back within seconds.
  visibilityTimeoutSeconds: 2,
  waitTimeSeconds: 1,
  backoff: { baseMs: 20, maxMs: 200 },
} satisfies SqsBusOptions;

/** A dotted topic, so every case also goes through the '.' → '-' queue naming. */
export const topicFor = (label: string): string => `${uniqueName(label)}.events`;

/** The queue URL of a topic, through a raw client. */
export async function urlOf(raw: SQSClient, topic: string): Promise<string> {
  return (await raw.send(new GetQueueUrlCommand({ QueueName: queueNameFor('', topic) }))).QueueUrl!;
}
