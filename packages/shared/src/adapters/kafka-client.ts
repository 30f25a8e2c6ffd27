/**
 * The kafkajs client every Kafka piece shares: one connection pool per bus, kafkajs' own log
 * lines routed through our logger (kafkajs prints JSON to stdout by default, bypassing the
 * service's log level and fields), and only WARN and ERROR let through — at INFO kafkajs logs
 * every join, sync and stop.
 */
import { Kafka, logLevel, type LogEntry, type RetryOptions, type logCreator } from 'kafkajs';
import type { Logger } from '../logger.js';

export interface KafkaClientOptions {
  /** `host:port` of each seed broker, e.g. ['127.0.0.1:9092'] (KAFKA_BROKERS split on ','). */
  brokers: readonly string[];
  /** Shown in broker logs and quotas; one per service, e.g. 'zipper'. */
  clientId: string;
  logger: Logger;
  /** Socket connect timeout, in ms. kafkajs default 1,000. */
  connectionTimeoutMs?: number;
  /** Per-request timeout, in ms. kafkajs default 30,000. */
  requestTimeoutMs?: number;
  /** kafkajs' retries of connections and requests. Default kafkajs': 5 retries from 300 ms, about 9 s in all. */
  retry?: RetryOptions;
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const { brokers, clientId, logger, connectionTimeoutMs = 3_000, requestTimeoutMs = 30_000, retry } = options;
  return new Kafka({
    brokers: [...brokers],
    clientId,
    ...(retry ? { retry } : {}),
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: requestTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  });
}

/**
 * Broker answers kafkajs logs at ERROR but then handles itself: it rejoins (a rebalance),
 * looks the coordinator or leader up again and retries (a broker starting, a leader
 * election), or the caller expects them (creating a topic that exists). Whatever kafkajs
 * cannot recover from reaches our code as a thrown error and is logged there.
 */
const HANDLED_ANSWERS = [
  /rebalanc/i,
  /group coordinator is not available/i,
  /not the correct coordinator/i,
  /coordinator is loading/i,
  /no leader for this topic-partition/i,
  /not the leader for that topic-partition/i,
  /topic with this name already exists/i,
  /^topic creation errors$/i,
];

/** Turns kafkajs log entries into calls on our logger, keeping kafkajs' fields as context. */
export function kafkaLogCreator(logger: Logger): logCreator {
  const log = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, ...fields } = entry;
      const context = { ...fields, namespace };
      // kafkajs logs every error answer of the broker at ERROR, including "the group is
      // rebalancing" to each heartbeat during an ordinary rebalance, which it then handles.
      if (namespace === 'Connection' && HANDLED_ANSWERS.some((answer) => answer.test(String(fields.error)))) {
        log.debug(context, message);
        return;
      }
      switch (level) {
        case logLevel.ERROR:
          log.error(context, message);
          break;
        case logLevel.WARN:
          log.warn(context, message);
          break;
        case logLevel.INFO:
          log.info(context, message);
          break;
        default:
          log.debug(context, message);
      }
    };
}
