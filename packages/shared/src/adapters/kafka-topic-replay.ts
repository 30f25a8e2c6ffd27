/**
 * Reads a Kafka topic from its first offset to the end offsets it had when the replay began,
 * handing each record to `onEvent` in partition order — for rebuilding a read model from the
 * log (DESIGN §5). A throwaway consumer group that never commits, so no service's position
 * moves. Records that do not decode go to `onInvalid` with the reason; the replay goes on.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, PipelineError } from '../errors.js';
import { fromKafkaMessage } from '../events/codec-kafka.js';
import type { PipelineEvent } from '../events/envelope.js';
import { silentLogger, type Logger } from '../logger.js';
import { createKafkaAdmin } from './kafka-admin.js';
import { createKafkaClient } from './kafka-client.js';

export interface KafkaReplayOptions {
  brokers: readonly string[];
  clientId: string;
  /** TOPIC_PREFIX, put before the logical topic name. Default ''. */
  topicPrefix?: string;
  logger?: Logger;
  /** Give up when the end is not reached within this many ms. Default 600,000. */
  timeoutMs?: number;
}

export interface ReplayCounts {
  events: number;
  invalid: number;
}

export async function replayKafkaTopic(
  options: KafkaReplayOptions,
  topic: string,
  onEvent: (event: PipelineEvent) => Promise<void>,
  onInvalid: (reason: string, offset: string, partition: number) => void = () => undefined,
): Promise<ReplayCounts> {
  const { brokers, clientId, topicPrefix = '', logger = silentLogger(), timeoutMs = 600_000 } = options;
  const wire = `${topicPrefix}${topic}`;
  const kafka = createKafkaClient({ brokers, clientId, logger });
  const admin = createKafkaAdmin({ kafka });
  const counts: ReplayCounts = { events: 0, invalid: 0 };
  try {
    const ends = await admin.endOffsets(wire);
    const pending = new Map([...ends].filter(([, end]) => end > 0n));
    if (pending.size === 0) return counts;
    const next = new Map<number, bigint>();
    const consumer = kafka.consumer({ groupId: `${clientId}-replay-${randomUUID()}`, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
    let finished!: () => void;
    let failed!: (err: unknown) => void;
    const done = new Promise<void>((resolve, reject) => { finished = resolve; failed = reject; });
    const caughtUp = (): boolean => [...pending].every(([p, end]) => (next.get(p) ?? 0n) >= end);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [wire], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const end = pending.get(partition);
          if (end === undefined || BigInt(message.offset) >= end) return;
          try {
            const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : v === undefined ? undefined : String(v)]));
            const event = fromKafkaMessage({ value: message.value, headers: headers as Record<string, string> });
            await onEvent(event);
            counts.events++;
          } catch (err) {
            if ((err as { code?: string }).code !== ErrorCode.INVALID_EVENT) {
              failed(err);
              throw err;
            }
            counts.invalid++;
            onInvalid((err as Error).message, message.offset, partition);
          }
          next.set(partition, BigInt(message.offset) + 1n);
          if (caughtUp()) finished();
        },
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new PipelineError(`replay of ${wire} did not reach the end within ${timeoutMs} ms`, { code: ErrorCode.TIMEOUT, retriable: true })), timeoutMs);
      });
      await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
      return counts;
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  } finally {
    await admin.close().catch(() => undefined);
  }
}
