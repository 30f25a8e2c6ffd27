/**
 * Works through one fetched batch of one partition (kafka-consumer.ts explains why batches
 * are detached from kafkajs' loop): its messages in offset order, each in a concurrency
 * slot shared with the other partitions, offset + 1 committed after each settles. Stops at
 * the first message given back (stop deadline, dead-letter topic unreachable), when
 * stopping, or when a rebalance took the partition away.
 */
import type { Batch, IHeaders } from 'kafkajs';
import type { InFlightWork, Slots } from '../bus-delivery-slots.js';
import type { Logger } from '../logger.js';
import type { RecordDisposition } from './kafka-record.js';

/** One fetched message as a record processor sees it. */
export interface KafkaRecord {
  /** The physical topic. */
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** Tells the group coordinator this member lives; errors are logged, never thrown. */
  heartbeat(): Promise<void>;
  /** Aborted as soon as stop() begins: start no new attempt. */
  stopping: AbortSignal;
  /** Aborted when stop()'s deadline passes: give the work back. */
  signal: AbortSignal;
}

export interface PartitionWork {
  /** The partition went to another member in a rebalance. */
  revoked: boolean;
}

export interface BatchWorkerDeps {
  topic: string;
  logger: Logger;
  slots: Slots;
  stopping: AbortSignal;
  processRecord: (record: KafkaRecord) => Promise<RecordDisposition>;
  /** Commits `offset` (the next one to read) for `partition`; logs rather than throws. */
  commit: (partition: number, offset: bigint) => Promise<void>;
}

/** Returns the first offset of the batch not settled (where the partition goes on from). */
export async function workBatch(
  deps: BatchWorkerDeps,
  batch: Batch,
  work: PartitionWork,
  w: InFlightWork,
  heartbeat: () => Promise<void>,
): Promise<bigint> {
  const { topic, logger, slots, stopping } = deps;
  const { partition } = batch;
  let next = BigInt(batch.messages[0]!.offset);
  for (const message of batch.messages) {
    while (slots.free === 0 && !stopping.aborted) await slots.whenFree(stopping);
    if (stopping.aborted || work.revoked) break;
    const giveSlot = slots.take();
    const abandoned = whenAborted(w.signal);
    let disposition: RecordDisposition;
    try {
      const record: KafkaRecord = {
        topic,
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: message.headers ?? {},
        stopping,
        signal: w.signal,
        heartbeat: () =>
          heartbeat().catch((err: unknown) => {
            // A rebalance in progress shows up here; kafkajs' own loop rejoins.
            logger.debug({ err, topic, partition }, 'kafka heartbeat failed');
          }),
      };
      // A handler that ignores its aborted signal is left behind; its offset stays uncommitted.
      disposition = await Promise.race([
        deps.processRecord(record).catch((err: unknown): RecordDisposition => {
          logger.error({ err, topic, partition, offset: message.offset }, 'kafka record processing failed');
          return 'release';
        }),
        abandoned.promise.then((): RecordDisposition => 'release'),
      ]);
    } finally {
      abandoned.dispose();
      giveSlot();
    }
    if (disposition === 'release' || w.givenBack) break;
    next = BigInt(message.offset) + 1n;
    await deps.commit(partition, next);
  }
  return next;
}

/** Resolves when `signal` aborts; dispose() drops the listener (one per message would pile up). */
function whenAborted(signal: AbortSignal): { promise: Promise<void>; dispose(): void } {
  let onAbort = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
