/**
 * One kafkajs consumer per subscription, run so that an offset is committed only after its
 * message settled (handled or dead-lettered; DESIGN §4), nothing ever throws into kafkajs
 * (it stops a consumer for good on a thrown TypeError and redelivers a thrown Error forever),
 * and one slow partition does not hold up the others.
 *
 * Why eachBatch and a detached worker per partition, not eachMessage: kafkajs' fetcher (one
 * per broker) waits until every batch of a fetch has been processed before it fetches again
 * (consumer/fetcher.js), so one long handler inside eachMessage stops all other partitions
 * of that broker from being fetched, whatever partitionsConsumedConcurrently says. Instead,
 * eachBatch pauses the batch's partition and hands the batch to a worker; the worker runs
 * its messages one by one (per-key order: a key lives in one partition), commits offset + 1
 * after each, then seeks to the first unsettled offset and resumes the partition. Handlers
 * across partitions share `concurrency` slots. kafkajs keeps fetching and heartbeating.
 *
 * Rebalances: the consumer rejoins at once (no handler blocks it); a worker whose partition
 * went to another member finishes its current message and stops. That message may then run
 * twice (at-least-once; handlers are idempotent).
 */
import type { Batch, Consumer, Kafka } from 'kafkajs';
import { createInFlight, createSlots, type InFlightWork } from '../bus-delivery-slots.js';
import { ErrorCode, PipelineError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Subscription } from '../ports/bus.js';
import { workBatch, type KafkaRecord, type PartitionWork } from './kafka-partition-worker.js';
import type { RecordDisposition } from './kafka-record.js';

export type { KafkaRecord } from './kafka-partition-worker.js';

export interface KafkaConsumerOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  /** Handlers running at once, across partitions; one per partition at most. */
  concurrency: number;
  /** The broker evicts a member silent this long, in ms (within group.min/max.session.timeout.ms). */
  sessionTimeoutMs: number;
  /** How often the member heartbeats, in ms: a third of sessionTimeoutMs or less. */
  heartbeatIntervalMs: number;
  /** Broker-side wait of a fetch with nothing to return, in ms; bounds stop() and resume latency. */
  fetchMaxWaitMs: number;
  /** Deadline of stop() when the caller names none, in ms. */
  stopDeadlineMs: number;
  logger: Logger;
  processRecord: (record: KafkaRecord) => Promise<RecordDisposition>;
}

export async function startKafkaConsumer(options: KafkaConsumerOptions): Promise<Subscription> {
  const { kafka, topic, groupId, logger } = options;
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs,
    maxWaitTimeInMs: options.fetchMaxWaitMs,
    allowAutoTopicCreation: false,
  });
  const stopping = new AbortController();
  const slots = createSlots(Math.max(1, Math.floor(options.concurrency)));
  const inFlight = createInFlight();
  const active = new Map<number, PartitionWork>();
  let assigned = new Set<number>();

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assigned = new Set(payload.memberAssignment[topic] ?? []);
    for (const [partition, work] of active) if (!assigned.has(partition)) work.revoked = true;
    if (stopping.signal.aborted) return;
    // Keep busy partitions paused (a restart after a crash forgets pauses); free the rest.
    // kafkajs calls this listener inside its join: a throw here would crash the consumer.
    try {
      const busy = [...assigned].filter((p) => active.has(p));
      const idle = [...assigned].filter((p) => !active.has(p));
      if (busy.length > 0) consumer.pause([{ topic, partitions: busy }]);
      if (idle.length > 0) consumer.resume([{ topic, partitions: idle }]);
    } catch (err) {
      logger.warn({ err, topic, groupId }, 'kafka partitions not re-paused after a rebalance');
    }
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    const fields = { topic, groupId, err: payload.error, restart: payload.restart };
    if (payload.restart) logger.warn(fields, 'kafka consumer crashed; kafkajs restarts it');
    else logger.error(fields, 'kafka consumer crashed and stopped');
  });

  const commit = async (partition: number, offset: bigint): Promise<void> => {
    try {
      await consumer.commitOffsets([{ topic, partition, offset: offset.toString() }]);
    } catch (err) {
      // Typically the partition moved in a rebalance: its new owner starts from the last
      // committed offset (at-least-once; handlers are idempotent).
      logger.warn({ err, topic, partition, offset: offset.toString() }, 'kafka offset commit failed');
    }
  };

  const workPartition = async (batch: Batch, work: PartitionWork, w: InFlightWork, heartbeat: () => Promise<void>) => {
    const { partition } = batch;
    let next = BigInt(batch.messages[0]!.offset);
    try {
      next = await workBatch({ topic, logger, slots, stopping: stopping.signal, processRecord: options.processRecord, commit }, batch, work, w, heartbeat);
    } finally {
      active.delete(partition);
      if (!stopping.signal.aborted && assigned.has(partition)) {
        try {
          // kafkajs would fetch from where its own (unused) resolved offset points: say where to go on.
          if (!work.revoked) consumer.seek({ topic, partition, offset: next.toString() });
          consumer.resume([{ topic, partitions: [partition] }]);
        } catch (err) {
          // kafkajs is restarting after a crash: its new group state has no pause to lift.
          logger.debug({ err, topic, partition }, 'kafka partition not resumed');
        }
      }
    }
  };

  try {
    await consumer.connect();
    // A new group starts at the beginning of the topic: nothing published before the first
    // consumer of a service existed is lost. Known groups go on from their committed offsets.
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, Math.floor(options.concurrency)),
      eachBatch: async ({ batch, pause, heartbeat }) => {
        if (stopping.signal.aborted || batch.isEmpty()) return;
        pause();
        if (active.has(batch.partition)) return; // its worker runs still; it resumes the partition
        const work: PartitionWork = { revoked: false };
        active.set(batch.partition, work);
        // Nothing to give back by hand at the deadline: an offset not committed is redelivered.
        void inFlight.run((w) => workPartition(batch, work, w, heartbeat), async () => undefined);
      },
    });
  } catch (err) {
    await consumer.disconnect().catch(() => undefined);
    throw new PipelineError(`could not start consuming ${topic}: ${err instanceof Error ? err.message : String(err)}`, {
      code: ErrorCode.UNAVAILABLE,
      retriable: true,
      cause: err,
      context: { topic, groupId },
    });
  }

  let stopped: Promise<void> | undefined;
  return {
    stop(deadlineMs = options.stopDeadlineMs) {
      stopped ??= (async () => {
        stopping.abort();
        try {
          consumer.pause([{ topic }]);
        } catch {
          // Not running any more (crashed for good): nothing to pause.
        }
        // Commits must happen before consumer.stop(): kafkajs drops them once stopped.
        await inFlight.drain(Math.max(0, deadlineMs));
        await consumer.disconnect().catch((err: unknown) => {
          logger.warn({ err, topic, groupId }, 'kafka consumer did not disconnect cleanly');
        });
      })();
      return stopped;
    },
  };
}
