/**
 * What the Kafka-only test files share: the bus options they start from, a raw kafkajs
 * client for putting messages on chosen partitions (bypassing the bus), and job ids
 * chosen to land on given partitions under the producer's key hashing.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { EventType, type PipelineEvent } from '@artifact-pipeline/shared';
import type { KafkaBusOptions } from '@artifact-pipeline/shared/adapters/kafka-bus';
import { toKafkaMessage } from '@artifact-pipeline/shared/events/codec-kafka';
import { servers, uniqueName } from '../harness/support.js';

/** Small waits and the broker's minimum session timeout, so rebalances take seconds. */
export function kafkaBusOptions(overrides: Partial<KafkaBusOptions> = {}): KafkaBusOptions {
  return {
    brokers: servers().kafkaBrokers,
    clientId: 'kafka-test',
    maxAttempts: 3,
    backoff: { baseMs: 20, maxMs: 200 },
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 1_000,
    partitions: 3,
    fetchMaxWaitMs: 200,
    stopDeadlineMs: 10_000,
    ...overrides,
  };
}

export interface RawKafka {
  /** Sends messages exactly as given (value, headers, partition); connects on first use. */
  send(topic: string, messages: Parameters<Producer['send']>[0]['messages']): Promise<void>;
  /** The binary-mode message the bus itself would write for `event`, on `partition`. */
  sendEvent(topic: string, event: PipelineEvent, partition: number): Promise<void>;
  kafka: Kafka;
  close(): Promise<void>;
}

export function rawKafka(): RawKafka {
  const kafka = new Kafka({ brokers: servers().kafkaBrokers, clientId: 'kafka-test-raw', logLevel: logLevel.ERROR });
  let producer: Promise<Producer> | undefined;
  const connected = (): Promise<Producer> => {
    producer ??= (async () => {
      const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await p.connect();
      return p;
    })();
    return producer;
  };
  const send: RawKafka['send'] = async (topic, messages) => {
    await (await connected()).send({ topic, messages });
  };
  return {
    kafka,
    send,
    sendEvent: (topic, event, partition) => send(topic, [{ ...toKafkaMessage(event), partition }]),
    async close() {
      if (producer) await (await producer).disconnect();
    },
  };
}

/** The partition the bus's producer (murmur2, as Java's) picks for `key` among `partitions`. */
export function partitionOf(key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1], offlineReplicas: [],
  }));
  return partitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

/** One job id per wanted partition, each hashing to that partition. */
export function jobIdsOnPartitions(label: string, wanted: readonly number[], partitions: number): string[] {
  return wanted.map((partition) => {
    for (;;) {
      const jobId = uniqueName(label);
      if (partitionOf(jobId, partitions) === partition) return jobId;
    }
  });
}

/** A valid job.progressed event of `jobId` whose `itemsDone` is `seq`: order shows in the data. */
export function progressEvent(jobId: string, seq: number): PipelineEvent<{ jobId: string; itemsDone: number }> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/artifact-pipeline/kafka-test',
    type: EventType.jobProgressed,
    time: new Date().toISOString(),
    subject: jobId,
    datacontenttype: 'application/json',
    partitionkey: jobId,
    data: { jobId, bytesDone: seq, bytesTotal: 1_000, itemsDone: seq, itemsTotal: 1_000 } as { jobId: string; itemsDone: number },
  };
}
