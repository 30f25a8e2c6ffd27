/**
 * Publishing to Kafka: CloudEvents in binary content mode (codec-kafka.ts), keyed by the
 * event's `partitionkey` (the job id) so one job's events stay in one partition and in order,
 * with this hop's W3C trace context as plain `traceparent` / `tracestate` headers (DESIGN §3).
 *
 * The producer is idempotent (acks = all, kafkajs retries without limit inside its own
 * request timeout): a retried send never writes a duplicate into the log.
 */
import { Partitioners, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import { ErrorCode, PipelineError, isPipelineError } from '../errors.js';
import type { PipelineEvent } from '../events/envelope.js';
import { toKafkaMessage } from '../events/codec-kafka.js';
import { injectTraceContext, withProducerSpan } from '../telemetry/propagation.js';
import { TelemetryNames } from '../telemetry/names.js';

const A = TelemetryNames.attributes;

export interface KafkaOutgoingMessage {
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers: IHeaders;
}

export interface KafkaProducer {
  /** Encodes `event`, adds this hop's trace context and writes it to `topic`. */
  publish(topic: string, event: PipelineEvent): Promise<void>;
  /** Writes a message as given (dead letters, tests' raw messages). */
  send(topic: string, message: KafkaOutgoingMessage): Promise<void>;
  close(): Promise<void>;
}

/**
 * Broker answers that no retry can fix: the message or the topic itself is wrong.
 * Everything else (a broker away, a leader moving, kafkajs' retries running out) is
 * reported retriable, so the handler that published retries later.
 */
const PERMANENT_TYPES = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CORRUPT_MESSAGE',
]);

export function createKafkaProducer(kafka: Kafka): KafkaProducer {
  let connected: Promise<Producer> | undefined;
  const producer = (): Promise<Producer> => {
    if (!connected) {
      const client = kafka.producer({
        idempotent: true,
        // Idempotence keeps order only with one request in flight per connection (KIP-98).
        maxInFlightRequests: 1,
        // Explicit so kafkajs does not warn that v2 changed the default (murmur2, as Java).
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
      });
      connected = client.connect().then(
        () => client,
        (err: unknown) => {
          connected = undefined;
          throw publishFailed('connect the Kafka producer', err);
        },
      );
    }
    return connected;
  };

  const send = async (topic: string, message: KafkaOutgoingMessage): Promise<void> => {
    const client = await producer();
    try {
      await client.send({ topic, acks: -1, messages: [message] });
    } catch (err) {
      throw publishFailed(`publish to ${topic}`, err);
    }
  };

  return {
    send,

    publish(topic, event) {
      const attributes = {
        [A.messagingSystem]: TelemetryNames.messaging.systems.kafka,
        [A.messagingDestinationName]: topic,
        [A.messagingOperationType]: TelemetryNames.messaging.operations.send,
        [A.cloudeventsId]: event.id,
        [A.cloudeventsType]: event.type,
      };
      return withProducerSpan(`${topic} publish`, attributes, async () => {
        const encoded = toKafkaMessage(event);
        const headers: Record<string, string> = { ...encoded.headers };
        injectTraceContext(headers);
        await send(topic, { key: encoded.key, value: encoded.value, headers });
      });
    },

    async close() {
      const pending = connected;
      connected = undefined;
      if (pending) await pending.then((client) => client.disconnect(), () => undefined);
    },
  };
}

function publishFailed(what: string, err: unknown): PipelineError {
  if (isPipelineError(err)) return err;
  const e = err as { name?: unknown; type?: unknown; cause?: { type?: unknown } } | undefined;
  const type = e?.type ?? e?.cause?.type;
  // kafkajs refuses a malformed message itself with a bare KafkaJSNonRetriableError; its
  // subclass KafkaJSNumberOfRetriesExceeded only means the broker stayed away too long.
  const retriable = !(e?.name === 'KafkaJSNonRetriableError' || (typeof type === 'string' && PERMANENT_TYPES.has(type)));
  const message = err instanceof Error ? err.message : String(err);
  return new PipelineError(`could not ${what}: ${message}`, {
    code: ErrorCode.PUBLISH_FAILED,
    retriable,
    cause: err,
    context: type === undefined ? {} : { kafkaErrorType: type },
  });
}
