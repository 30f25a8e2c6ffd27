/**
 * Topic → queue naming and queue URLs for the SQS bus (DESIGN §4): the queue is
 * `<prefix><topic with '.' → '-'>`, its dead-letter queue `<queue>-dlq`. ensure() creates
 * both (idempotent) and points the queue's RedrivePolicy at the DLQ.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ErrorCode, PipelineError, errorCode } from '../errors.js';

/** SQS queue names: 1–80 characters of letters, digits, '-' and '_'. */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const DLQ_SUFFIX = '-dlq';
/** DLQ retention: the SQS maximum, 14 days in seconds, so a dead letter waits for a human. */
const DLQ_RETENTION_SECONDS = 1_209_600;
/**
 * Receives beyond maxAttempts before SQS redrives a message on its own. Our consumer
 * dead-letters explicitly (with the reason) on the last attempt; this safety net only
 * catches messages whose consumer died each time (crash loops), a few receives later.
 */
export const REDRIVE_MARGIN = 3;

export function queueNameFor(prefix: string, topic: string): string {
  const name = `${prefix}${topic.replace(/\./g, '-')}`;
  if (!QUEUE_NAME.test(`${name}${DLQ_SUFFIX}`)) {
    throw new PipelineError(`topic ${JSON.stringify(topic)} gives no valid SQS queue name (${name}${DLQ_SUFFIX}: at most 80 of A-Z a-z 0-9 - _)`, {
      code: ErrorCode.INVALID_CONFIG,
      retriable: false,
      context: { topic, prefix },
    });
  }
  return name;
}

export function deadLetterQueueName(queueName: string): string {
  return `${queueName}${DLQ_SUFFIX}`;
}

export interface QueueDirectoryOptions {
  queueNamePrefix: string;
  maxAttempts: number;
  visibilityTimeoutSeconds: number;
}

export interface QueueDirectory {
  /** URL of the topic's queue; NOT_FOUND (not retriable) when it does not exist. */
  url(topic: string): Promise<string>;
  /** URL of the topic's dead-letter queue. */
  deadLetterUrl(topic: string): Promise<string>;
  /** Creates queue and DLQ if missing and sets the redrive policy. Idempotent. */
  ensure(topic: string): Promise<void>;
}

function isMissingQueue(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'QueueDoesNotExist' || code === 'AWS.SimpleQueueService.NonExistentQueue';
}

function isNameTaken(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'QueueNameExists' || code === 'QueueAlreadyExists';
}

export function createQueueDirectory(client: SQSClient, options: QueueDirectoryOptions): QueueDirectory {
  const urls = new Map<string, string>();

  const urlOf = async (name: string): Promise<string> => {
    const cached = urls.get(name);
    if (cached) return cached;
    try {
      const out = await client.send(new GetQueueUrlCommand({ QueueName: name }));
      if (!out.QueueUrl) throw new Error(`GetQueueUrl(${name}) returned no URL`);
      urls.set(name, out.QueueUrl);
      return out.QueueUrl;
    } catch (err) {
      if (!isMissingQueue(err)) throw err;
      throw new PipelineError(`SQS queue ${name} does not exist (create it with ensureTopic / provision)`, {
        code: ErrorCode.NOT_FOUND,
        retriable: false,
        cause: err,
        context: { queue: name },
      });
    }
  };

  /** CreateQueue, or — when the queue exists with other attributes — SetQueueAttributes. */
  const createOrUpdate = async (name: string, attributes: Record<string, string>): Promise<string> => {
    try {
      const out = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      if (!out.QueueUrl) throw new Error(`CreateQueue(${name}) returned no URL`);
      urls.set(name, out.QueueUrl);
      return out.QueueUrl;
    } catch (err) {
      if (!isNameTaken(err)) throw err;
      const url = await urlOf(name);
      await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
      return url;
    }
  };

  return {
    url: (topic) => urlOf(queueNameFor(options.queueNamePrefix, topic)),
    deadLetterUrl: (topic) => urlOf(deadLetterQueueName(queueNameFor(options.queueNamePrefix, topic))),
    async ensure(topic) {
      const name = queueNameFor(options.queueNamePrefix, topic);
      const dlqUrl = await createOrUpdate(deadLetterQueueName(name), {
        MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
      });
      const attrs = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
      );
      const dlqArn = attrs.Attributes?.QueueArn;
      if (!dlqArn) throw new Error(`no QueueArn for ${deadLetterQueueName(name)}`);
      await createOrUpdate(name, {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: options.maxAttempts + REDRIVE_MARGIN,
        }),
      });
    },
  };
}
