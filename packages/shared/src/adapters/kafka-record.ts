/**
 * The life of one Kafka message inside a consumer: decode, run the handler, and on failure
 * retry in-process with backoff until maxAttempts, then dead-letter (DESIGN §4). The
 * decision itself is transport-neutral (bus-delivery.ts); this file adds what Kafka needs:
 *
 * - Retries happen here, not by redelivery: Kafka has no per-message visibility timeout,
 *   and a committed-offset log cannot skip one message and come back to it later. Each wait
 *   is computeDelay(attempt) — at most backoff.maxMs — so a retrying message holds its
 *   partition for at most maxAttempts × (handler time + maxMs).
 * - Attempts count in this process only: a message redelivered after a crash or a
 *   rebalance starts again at attempt 1 (Kafka keeps no per-message delivery count, and a
 *   header cannot be added to a message already in the log). The job workers add a durable
 *   count of their own (JobStore.countAttempt, worker/run-job-worker.ts): a command that
 *   kills its consumer every time is dead-lettered once that count passes maxAttempts, and
 *   a final failure is thrown as not retriable, so it is dead-lettered without more retries.
 * - Heartbeats go out every heartbeatIntervalMs while a handler runs or a retry waits, so a
 *   handler longer than the session timeout does not cost the consumer its partitions.
 */
import { deliver, traceCarrier, consumerSpanAttributes } from '../bus-delivery.js';
import { isRetriable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Delivery } from '../ports/bus.js';
import { retry, sleep, type BackoffOptions } from '../retry.js';
import type { Carrier } from '../telemetry/propagation.js';
import { TelemetryNames } from '../telemetry/names.js';
import type { KafkaRecord } from './kafka-partition-worker.js';
import type { DeadLetterReason } from './kafka-dead-letter.js';

/** 'settled': commit the offset (handled or dead-lettered). 'release': leave it for redelivery. */
export type RecordDisposition = 'settled' | 'release';

export interface RecordHandlingOptions<T> {
  /** The logical topic, as the handler's Delivery names it. */
  topic: string;
  maxAttempts: number;
  backoff: Partial<BackoffOptions>;
  heartbeatIntervalMs: number;
  /** Wire message → handler input; throws INVALID_EVENT when it cannot. */
  decode: (record: KafkaRecord) => T;
  /** The originating trace context the decoded value carries, if any (CloudEvents extension). */
  originTrace: (value: T | undefined) => Carrier;
  handler: (value: T, delivery: Delivery) => Promise<void>;
  /** Writes the record to the dead-letter topic; throws if Kafka did not take it. */
  deadLetter: (record: KafkaRecord, reason: DeadLetterReason, attempts: number) => Promise<void>;
  logger: Logger;
}

/** Budget for putting one message on the dead-letter topic before giving it back, in ms. */
const DEAD_LETTER_BUDGET_MS = 30_000;

export function createRecordHandling<T>(
  options: RecordHandlingOptions<T>,
): (record: KafkaRecord) => Promise<RecordDisposition> {
  const { topic, maxAttempts, backoff, logger } = options;

  return async (record) => {
    const hop = hopCarrier(record);
    const messageId = `${record.partition}:${record.offset}`;
    const log = logger.child({ topic, messageId });
    for (let attempt = 1; ; attempt++) {
      const delivery: Delivery = { topic, attempt, maxAttempts, signal: record.signal, messageId };
      const attributes = {
        ...consumerSpanAttributes(TelemetryNames.messaging.systems.kafka, delivery),
        [TelemetryNames.attributes.messagingPartitionId]: String(record.partition),
        [TelemetryNames.attributes.messagingKafkaOffset]: record.offset,
      };
      const outcome = await whileHeartbeating(record, options.heartbeatIntervalMs, () =>
        deliver({
          decode: () => options.decode(record),
          carrier: (value) => traceCarrier(hop, options.originTrace(value)),
          handler: options.handler,
          delivery,
          spanName: `${topic} process`,
          attributes,
          backoff,
        }),
      );
      switch (outcome.kind) {
        case 'ack':
          return 'settled';
        case 'release':
          return 'release';
        case 'retry': {
          log.warn({ err: outcome.error, attempt, delayMs: outcome.delayMs }, 'handler failed; retrying');
          const waited = await whileHeartbeating(record, options.heartbeatIntervalMs, () =>
            sleep(outcome.delayMs, AbortSignal.any([record.stopping, record.signal])).then(
              () => true,
              () => false,
            ),
          );
          // Stopping during the wait: nothing runs, so give the message back at once.
          if (!waited) return 'release';
          continue;
        }
        case 'dead-letter':
          log.warn({ err: outcome.error, attempt }, 'dead-lettering message');
          try {
            await retry(() => options.deadLetter(record, outcome.reason, attempt), {
              budgetMs: DEAD_LETTER_BUDGET_MS,
              shouldRetry: (err) => isRetriable(err),
            }, record.signal);
            return 'settled';
          } catch (err) {
            // Not committed: the message comes back (attempt 1) rather than being lost.
            log.error({ err }, 'could not dead-letter message; leaving it for redelivery');
            return 'release';
          }
      }
    }
  };
}

/** Plain per-hop `traceparent` / `tracestate` headers (not the `ce_` extension pair). */
function hopCarrier(record: KafkaRecord): Carrier {
  const read = (name: string): string | undefined => {
    const raw = record.headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    return value === undefined ? undefined : value.toString();
  };
  return { traceparent: read('traceparent'), tracestate: read('tracestate') };
}

async function whileHeartbeating<R>(record: KafkaRecord, intervalMs: number, work: () => Promise<R>): Promise<R> {
  const timer = setInterval(() => void record.heartbeat(), intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
