/**
 * Topic → queue naming and queue URLs for the SQS bus (DESIGN §4): the queue is
 * `<prefix><topic with '.' → '-'>`, its dead-letter queue `<queue>-dlq`. ensure() creates
 * both (idempotent) and points the queue's RedrivePolicy at the DLQ: only `artifacts
 * provision` and local mode call it. A service only resolve()s its queues: the URL (from
 * SQS_QUEUE_URL_BASE, or GetQueueUrl) and GetQueueAttributes(QueueArn), which is also its
 * readiness check (docs/iam.md) — it never creates or reconfigures a queue.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { REDRIVE_MARGIN } from '../aws-permissions.js';
import { ErrorCode, PipelineError, errorCode } from '../errors.js';

/** SQS queue names: 1–80 characters of letters, digits, '-' and '_'. */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const DLQ_SUFFIX = '-dlq';
/** DLQ retention: the SQS maximum, 14 days in seconds, so a dead letter waits for a human. */
const DLQ_RETENTION_SECONDS = 1_209_600;
/**
 * Receives beyond maxAttempts before SQS redrives a message on its own (one value for the code
 * and Terraform: aws-permissions.ts). Our consumer dead-letters explicitly (with the reason) on
 * the last attempt; this safety net only catches messages whose consumer died each time.
 */
export { REDRIVE_MARGIN };

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
  /** SQS_QUEUE_URL_BASE: URL = base + '/' + name, without GetQueueUrl. */
  queueUrlBase?: string;
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
  /**
   * Checks that the topic's queue (and with `deadLetters`, its DLQ: a consumer sends there)
   * exists and may be read (GetQueueAttributes); NOT_FOUND naming the queue and `artifacts
   * provision`, or ACCESS_DENIED naming the missing action.
   */
  resolve(topic: string, options?: { deadLetters?: boolean }): Promise<void>;
  /** GetQueueAttributes on every queue resolved so far (readiness). */
  ping(): Promise<void>;
}

/** Whoever runs a service is told what creates a missing queue. */
export const PROVISION_HINT = 'create it with `artifacts provision` (or terraform apply)';

function isAccessDenied(err: unknown): boolean {
  const code = errorCode(err) ?? '';
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return /AccessDenied|NotAuthorized|Forbidden/i.test(code) || status === 403;
}

function accessDenied(action: string, name: string, err: unknown): PipelineError {
  return new PipelineError(`sqs:${action} on queue ${name} is not allowed for these credentials (grant it: docs/iam.md)`, {
    code: ErrorCode.ACCESS_DENIED,
    retriable: false,
    cause: err,
    context: { queue: name, action: `sqs:${action}` },
  });
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

  const resolved = new Map<string, string>();
  const urlOf = async (name: string): Promise<string> => {
    const cached = urls.get(name);
    if (cached) return cached;
    if (options.queueUrlBase !== undefined) {
      const url = `${options.queueUrlBase}/${name}`;
      urls.set(name, url);
      return url;
    }
    try {
      const out = await client.send(new GetQueueUrlCommand({ QueueName: name }));
      if (!out.QueueUrl) throw new Error(`GetQueueUrl(${name}) returned no URL`);
      urls.set(name, out.QueueUrl);
      return out.QueueUrl;
    } catch (err) {
      if (isAccessDenied(err)) throw accessDenied('GetQueueUrl', name, err);
      if (!isMissingQueue(err)) throw err;
      throw new PipelineError(`SQS queue ${name} does not exist: ${PROVISION_HINT}`, {
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

  /** GetQueueAttributes(QueueArn): the queue exists and these credentials may use it. */
  const check = async (name: string): Promise<void> => {
    const url = await urlOf(name);
    try {
      await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    } catch (err) {
      if (isAccessDenied(err)) throw accessDenied('GetQueueAttributes', name, err);
      if (!isMissingQueue(err)) throw err;
      urls.delete(name);
      throw new PipelineError(`SQS queue ${name} does not exist: ${PROVISION_HINT}`, {
        code: ErrorCode.NOT_FOUND,
        retriable: false,
        cause: err,
        context: { queue: name, command: 'artifacts provision' },
      });
    }
    resolved.set(name, url);
  };

  return {
    async resolve(topic, { deadLetters = false } = {}) {
      const name = queueNameFor(options.queueNamePrefix, topic);
      await check(name);
      if (deadLetters) await check(deadLetterQueueName(name));
    },
    async ping() {
      await Promise.all([...resolved.keys()].map((name) => check(name)));
    },
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
