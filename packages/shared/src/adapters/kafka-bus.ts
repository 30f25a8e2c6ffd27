/**
 * The Bus port over Kafka (DESIGN §4) with kafkajs 2.2.4: CloudEvents in binary mode keyed
 * by job id, one consumer group per service, offsets committed only after a message
 * settled, in-process retries with backoff, dead letters on `<topic>.dlq`.
 *
 * Delivery.attempt counts the attempts made in this process: a message redelivered after a
 * crash or a rebalance starts again at 1 (kafka-record.ts says why). Connections open on
 * first use; close() stops what still consumes and disconnects everything.
 */
import { parseJsonBody } from '../bus-delivery.js';
import { ErrorCode, PipelineError } from '../errors.js';
import { fromKafkaMessage } from '../events/codec-kafka.js';
import type { PipelineEvent } from '../events/envelope.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Bus, ConsumeOptions, Delivery, Subscription } from '../ports/bus.js';
import type { BackoffOptions } from '../retry.js';
import type { Carrier } from '../telemetry/propagation.js';
import { createKafkaAdmin } from './kafka-admin.js';
import { createKafkaClient } from './kafka-client.js';
import { startKafkaConsumer, type KafkaRecord } from './kafka-consumer.js';
import { deadLetterTopic, drainDeadLetters, toDeadLetterMessage } from './kafka-dead-letter.js';
import { createKafkaProducer } from './kafka-producer.js';
import { createRecordHandling } from './kafka-record.js';

/** JSON-safe apart from `logger`, so a test can hand them to a child process. */
export interface KafkaBusOptions {
  /** Seed brokers, `host:port` (KAFKA_BROKERS). */
  brokers: readonly string[];
  /** One per service, e.g. 'zipper'. */
  clientId: string;
  /** Prepended to every consumer group, e.g. 'artifact-pipeline.'. Default ''. */
  groupPrefix?: string;
  /** Prepended to every topic name on the wire (several pipelines on one cluster). Default ''. */
  topicPrefix?: string;
  /** Attempts per message before it is dead-lettered (MAX_ATTEMPTS, default 5 in config). */
  maxAttempts: number;
  /** Waits between attempts. Default DEFAULT_BACKOFF (retry.ts): 200 ms doubling, at most 30 s. */
  backoff?: Partial<BackoffOptions>;
  /** Group session timeout, in ms. Default 30,000 (kafkajs); the broker allows 6,000 and up by default. */
  sessionTimeoutMs?: number;
  /** Heartbeat interval, in ms. Default 3,000 (kafkajs); keep it a third of the session timeout or less. */
  heartbeatIntervalMs?: number;
  /** Partitions of topics that ensureTopic creates (and of their .dlq). Default 3. */
  partitions?: number;
  /** Broker-side wait of an empty fetch, in ms. Default 500: bounds stop() and resume latency. */
  fetchMaxWaitMs?: number;
  /** Deadline of Subscription.stop() without an argument, in ms. Default 30,000. */
  stopDeadlineMs?: number;
  logger?: Logger;
}

/** How long one drainDeadLetters call may take reading records known to be there, in ms. */
const DRAIN_TIMEOUT_MS = 15_000;
const DEFAULT_DRAIN_MAX = 100;

export function createKafkaBus(options: KafkaBusOptions): Bus {
  const {
    brokers, clientId, groupPrefix = '', topicPrefix = '', maxAttempts, backoff = {},
    sessionTimeoutMs = 30_000, heartbeatIntervalMs = 3_000, partitions = 3,
    fetchMaxWaitMs = 500, stopDeadlineMs = 30_000, logger = silentLogger(),
  } = options;
  checkOptions(options);
  const log = logger.child({ component: 'kafka-bus' });
  const kafka = createKafkaClient({ brokers, clientId, logger });
  // ping() (readiness) gives up after one retry, ~1 s, instead of kafkajs' ~9 s.
  const probeKafka = createKafkaClient({ brokers, clientId, logger, retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 1_000 } });
  const admin = createKafkaAdmin({ kafka, probeKafka });
  const producer = createKafkaProducer(kafka);
  const subscriptions = new Set<Subscription>();
  const wire = (topic: string): string => `${topicPrefix}${topic}`;

  async function subscribe<T>(
    topic: string,
    decode: (record: KafkaRecord) => T,
    originTrace: (value: T | undefined) => Carrier,
    handler: (value: T, delivery: Delivery) => Promise<void>,
    consumeOptions: ConsumeOptions = {},
  ): Promise<Subscription> {
    const physical = wire(topic);
    const processRecord = createRecordHandling({
      topic, maxAttempts, backoff, heartbeatIntervalMs, decode, originTrace, handler, logger: log,
      deadLetter: (record, reason, attempts) =>
        producer.send(deadLetterTopic(physical), toDeadLetterMessage(record, reason, attempts)),
    });
    const subscription = await startKafkaConsumer({
      kafka, topic: physical, groupId: `${groupPrefix}${consumeOptions.group ?? topic}`,
      concurrency: consumeOptions.concurrency ?? 1,
      sessionTimeoutMs, heartbeatIntervalMs, fetchMaxWaitMs, stopDeadlineMs, logger: log, processRecord,
    });
    const tracked: Subscription = {
      stop: (deadlineMs) => subscription.stop(deadlineMs).finally(() => subscriptions.delete(tracked)),
    };
    subscriptions.add(tracked);
    return tracked;
  }

  return {
    publish: (topic, event) => producer.publish(wire(topic), event),

    consume: (topic, handler, consumeOptions) =>
      subscribe<PipelineEvent>(
        topic,
        (record) =>
          fromKafkaMessage(
            { value: record.value, headers: record.headers },
            { allowMissingJobId: consumeOptions?.allowMissingJobId ?? false },
          ),
        (event) => ({ traceparent: event?.traceparent, tracestate: event?.tracestate }),
        handler,
        consumeOptions,
      ),

    consumeRaw: (topic, handler, consumeOptions) =>
      subscribe<unknown>(
        topic,
        (record) => parseJsonBody(record.value?.toString('utf8') ?? ''),
        () => ({}),
        handler,
        consumeOptions,
      ),

    drainDeadLetters: (topic, max = DEFAULT_DRAIN_MAX) => {
      const dlqTopic = deadLetterTopic(wire(topic));
      return drainDeadLetters({
        kafka, admin, topic, dlqTopic, groupId: `${groupPrefix}${dlqTopic}.drain`, max, timeoutMs: DRAIN_TIMEOUT_MS,
      });
    },

    ensureTopic: (topic) => admin.ensureTopics([wire(topic), deadLetterTopic(wire(topic))], partitions),

    resolveTopic: (topic) => admin.requireTopics([wire(topic), deadLetterTopic(wire(topic))]),

    ping: () => admin.ping(),

    async close() {
      // Whoever still consumes at close() gets no grace: stop(0) aborts and gives work back.
      await Promise.all([...subscriptions].map((s) => s.stop(0)));
      await Promise.all([producer.close(), admin.close()]);
    },
  };
}

function checkOptions(options: KafkaBusOptions): void {
  const problems: string[] = [];
  if (options.brokers.length === 0) problems.push('brokers: at least one host:port');
  if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1) problems.push('maxAttempts: an integer >= 1');
  const { sessionTimeoutMs, heartbeatIntervalMs } = options;
  if (sessionTimeoutMs !== undefined && heartbeatIntervalMs !== undefined && heartbeatIntervalMs >= sessionTimeoutMs) {
    problems.push('heartbeatIntervalMs: must be well under sessionTimeoutMs');
  }
  if (options.partitions !== undefined && (!Number.isInteger(options.partitions) || options.partitions < 1)) {
    problems.push('partitions: an integer >= 1');
  }
  if (problems.length > 0) {
    throw new PipelineError(`invalid Kafka bus options: ${problems.join('; ')}`, {
      code: ErrorCode.INVALID_CONFIG,
      retriable: false,
      context: { problems },
    });
  }
}
