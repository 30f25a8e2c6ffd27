/**
 * The Bus over Amazon SQS (DESIGN §3, §4): one standard queue per topic, structured-mode
 * bodies (the whole CloudEvent as JSON), per-hop W3C trace context as message attributes,
 * attempt = ApproximateReceiveCount, explicit dead-lettering with the reason into
 * `<queue>-dlq`, and a redrive policy to the same DLQ as the safety net for crash loops.
 */
import { SQSClient, SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { ErrorCode, PipelineError, isPipelineError, isRetriable } from '../errors.js';
import { toSqsBody } from '../events/codec-sqs.js';
import type { PipelineEvent } from '../events/envelope.js';
import { silentLogger, type Logger } from '../logger.js';
import type { BackoffOptions } from '../retry.js';
import type { Bus, ConsumeOptions, Subscription } from '../ports/bus.js';
import { injectTraceContext, withProducerSpan } from '../telemetry/propagation.js';
import { drainDeadLetterQueue } from './sqs-dead-letter.js';
import { createQueueDirectory } from './sqs-queues.js';
import { startSqsConsumer } from './sqs-consumer.js';
import type { SqsHandlerMode } from './sqs-message.js';

export interface SqsBusOptions {
  region: string;
  /** e.g. moto's http://127.0.0.1:5055; unset = the AWS endpoint for the region. */
  endpoint?: string;
  /** Static keys; unset = the SDK's default chain (env, IRSA web identity, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Put before every queue name, e.g. 'staging-'. Default ''. */
  queueNamePrefix?: string;
  /** SQS_QUEUE_URL_BASE: queue URLs without GetQueueUrl (sqs-queues.ts). */
  queueUrlBase?: string;
  /** MAX_ATTEMPTS: receives of one message before it is dead-lettered (DESIGN §4 default 5). */
  maxAttempts: number;
  /** How long a received message stays hidden; the heartbeat renews it every third. Default 30 s. */
  visibilityTimeoutSeconds?: number;
  /** Long-poll wait per ReceiveMessage, 0–20 s. Default 20 (fewest empty receives). */
  waitTimeSeconds?: number;
  /** Retry backoff for failing handlers (retry.ts defaults: 200 ms doubling to 30 s). */
  backoff?: Partial<BackoffOptions>;
  logger?: Logger;
}

export function createSqsBus({
  region,
  endpoint,
  credentials,
  queueNamePrefix = '',
  queueUrlBase,
  maxAttempts,
  visibilityTimeoutSeconds = 30,
  waitTimeSeconds = 20,
  backoff,
  logger = silentLogger(),
}: SqsBusOptions): Bus {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new PipelineError(`maxAttempts must be an integer >= 1 (got ${maxAttempts})`, { code: ErrorCode.INVALID_CONFIG, retriable: false });
  }
  if (!Number.isInteger(visibilityTimeoutSeconds) || visibilityTimeoutSeconds < 1 || visibilityTimeoutSeconds > 43_200) {
    throw new PipelineError(`visibilityTimeoutSeconds must be 1–43200 (got ${visibilityTimeoutSeconds})`, { code: ErrorCode.INVALID_CONFIG, retriable: false });
  }
  const client = new SQSClient({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  });
  const queues = createQueueDirectory(client, {
    queueNamePrefix,
    ...(queueUrlBase === undefined ? {} : { queueUrlBase }),
    maxAttempts,
    visibilityTimeoutSeconds,
  });
  const subscriptions = new Set<Subscription>();

  const subscribe = async (topic: string, mode: SqsHandlerMode, options: ConsumeOptions = {}): Promise<Subscription> => {
    await queues.resolve(topic, { deadLetters: true });
    const queueUrl = await queues.url(topic);
    const inner = startSqsConsumer({
      client,
      topic,
      queueUrl,
      deadLetterUrl: () => queues.deadLetterUrl(topic),
      mode,
      maxAttempts,
      visibilityTimeoutSeconds,
      waitTimeSeconds: Math.max(0, Math.min(20, waitTimeSeconds)),
      concurrency: options.concurrency ?? 1,
      ...(backoff ? { backoff } : {}),
      logger: logger.child({ topic }),
    });
    const subscription: Subscription = {
      async stop(deadlineMs) {
        await inner.stop(deadlineMs);
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  };

  return {
    async publish(topic: string, event: PipelineEvent) {
      const body = toSqsBody(event);
      const queueUrl = await queues.url(topic);
      const attributes = { 'messaging.system': 'aws_sqs', 'messaging.destination.name': topic, 'messaging.message.id': event.id };
      await withProducerSpan(`publish ${topic}`, attributes, async () => {
        const carrier: Record<string, string> = {};
        injectTraceContext(carrier);
        const messageAttributes: Record<string, MessageAttributeValue> = {};
        for (const [name, value] of Object.entries(carrier)) {
          if (name === 'traceparent' || name === 'tracestate') messageAttributes[name] = { DataType: 'String', StringValue: value };
        }
        try {
          await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: messageAttributes }));
        } catch (err) {
          if (isPipelineError(err)) throw err;
          throw new PipelineError(`publish to ${topic} failed: ${(err as Error).message}`, {
            code: ErrorCode.PUBLISH_FAILED,
            retriable: isRetriable(err),
            cause: err,
            context: { topic, eventId: event.id },
          });
        }
      });
    },
    consume: (topic, handler, options) =>
      subscribe(topic, { kind: 'event', handler, allowMissingJobId: options?.allowMissingJobId ?? false }, options),
    consumeRaw: (topic, handler, options) => subscribe(topic, { kind: 'raw', handler }, options),
    async drainDeadLetters(topic, max = 100) {
      return drainDeadLetterQueue(client, await queues.deadLetterUrl(topic), topic, max);
    },
    ensureTopic: (topic) => queues.ensure(topic),
    resolveTopic: (topic) => queues.resolve(topic),
    // Only the service's own queues (GetQueueAttributes, which its role holds), never
    // ListQueues: that needs Resource "*".
    ping: () => queues.ping(),
    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop(0)));
      client.destroy();
    },
  };
}
