/**
 * Dead letters on Kafka (DESIGN §4): `<topic>.dlq` holds the original value, key and headers
 * of each message given up on, plus four headers saying why. Draining reads that topic with
 * a consumer group of its own, so what one drain returned is committed and never returned
 * again ("reads and removes" in the Bus port; Kafka cannot delete single records).
 */
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { ErrorCode, PipelineError, isPipelineError } from '../errors.js';
import type { DeadLetter } from '../ports/bus.js';
import type { KafkaAdmin } from './kafka-admin.js';
import type { KafkaRecord } from './kafka-partition-worker.js';
import type { KafkaOutgoingMessage } from './kafka-producer.js';

export const DEAD_LETTER_HEADERS = {
  code: 'ap-error-code',
  message: 'ap-error-message',
  attempts: 'ap-attempts',
  sourceTopic: 'ap-source-topic',
} as const;

export interface DeadLetterReason {
  code: string;
  message: string;
}

/** Error messages can quote whole inputs; a header stays well under the broker's 1 MB message limit. */
const MAX_MESSAGE_HEADER_CHARS = 4_096;

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** The original message, untouched, with the reason added as headers (ours replace any earlier ones). */
export function toDeadLetterMessage(record: KafkaRecord, reason: DeadLetterReason, attempts: number): KafkaOutgoingMessage {
  const headers: IHeaders = { ...record.headers };
  headers[DEAD_LETTER_HEADERS.code] = reason.code;
  headers[DEAD_LETTER_HEADERS.message] = reason.message.slice(0, MAX_MESSAGE_HEADER_CHARS);
  headers[DEAD_LETTER_HEADERS.attempts] = String(attempts);
  headers[DEAD_LETTER_HEADERS.sourceTopic] = record.topic;
  return { key: record.key, value: record.value, headers };
}

/** A dead-letter record as the Bus port describes it; `topic` is the logical topic drained. */
export function fromDeadLetterMessage(message: KafkaMessage, topic: string): DeadLetter {
  const header = (name: string): string => {
    const raw = message.headers?.[name];
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    return value === undefined ? '' : value.toString();
  };
  const attempts = Number.parseInt(header(DEAD_LETTER_HEADERS.attempts), 10);
  return {
    body: message.value?.toString('utf8') ?? '',
    reason: { code: header(DEAD_LETTER_HEADERS.code) || ErrorCode.INTERNAL, message: header(DEAD_LETTER_HEADERS.message) },
    attempts: Number.isFinite(attempts) ? attempts : 0,
    topic,
  };
}

export interface DrainOptions {
  kafka: Kafka;
  admin: KafkaAdmin;
  /** The logical topic whose dead letters are drained. */
  topic: string;
  /** The physical dead-letter topic. */
  dlqTopic: string;
  /** The drain's own consumer group. */
  groupId: string;
  max: number;
  /** Give up (UNAVAILABLE) if the records known to be there have not all been read by then, in ms. */
  timeoutMs: number;
}

/**
 * Returns up to `max` dead letters not returned before, oldest first per partition, and
 * commits exactly those. Without a consumer when the offsets say nothing is waiting, which
 * keeps polling callers cheap (joining a group costs a rebalance).
 */
export async function drainDeadLetters(options: DrainOptions): Promise<DeadLetter[]> {
  const { kafka, admin, topic, dlqTopic, groupId, max, timeoutMs } = options;
  if (max <= 0) return [];
  const ends = await admin.endOffsets(dlqTopic);
  if (ends.size === 0) return []; // no dead-letter topic: nothing was ever dead-lettered
  const committed = await admin.committedOffsets(groupId, dlqTopic);
  const pending = new Map<number, bigint>();
  for (const [partition, end] of ends) if ((committed.get(partition) ?? 0n) < end) pending.set(partition, end);
  if (pending.size === 0) return [];

  const letters: DeadLetter[] = [];
  const next = new Map<number, bigint>();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
  let closed = false;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const caughtUp = (): boolean =>
    letters.length >= max || [...pending].every(([p, end]) => (next.get(p) ?? committed.get(p) ?? 0n) >= end);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        // Not recorded, so not committed: the next drain gets it.
        if (closed || letters.length >= max) return;
        letters.push(fromDeadLetterMessage(message, topic));
        next.set(partition, BigInt(message.offset) + 1n);
        if (caughtUp()) finished();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([done, timeout]);
    clearTimeout(timer);
    closed = true;
    // Commit before stopping: kafkajs drops commits once its runner has stopped.
    if (next.size > 0) {
      await consumer.commitOffsets([...next].map(([partition, offset]) => ({ topic: dlqTopic, partition, offset: offset.toString() })));
    }
    if (result === 'timeout' && letters.length === 0) {
      throw new PipelineError(`could not read the dead letters of ${topic} within ${timeoutMs} ms`, {
        code: ErrorCode.UNAVAILABLE,
        retriable: true,
      });
    }
    return letters;
  } catch (err) {
    if (isPipelineError(err)) throw err;
    throw new PipelineError(`could not read the dead letters of ${topic}: ${err instanceof Error ? err.message : String(err)}`, {
      code: ErrorCode.UNAVAILABLE,
      retriable: true,
      cause: err,
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
