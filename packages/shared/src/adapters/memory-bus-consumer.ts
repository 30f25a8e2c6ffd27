/**
 * One subscription of the memory bus: takes messages from its group's queue while it has
 * free slots, runs the handler through bus-delivery, and applies the outcome in memory
 * (ack = forget, retry = back on the queue after the backoff, dead-letter = keep per topic,
 * release = back at the head of the queue).
 */
import { fromSqsBody } from '../events/codec-sqs.js';
import type { Logger } from '../logger.js';
import type { BackoffOptions } from '../retry.js';
import type { DeadLetter, Delivery, EventHandler, RawHandler } from '../ports/bus.js';
import { consumerSpanAttributes, deliver, parseJsonBody, traceCarrier, type DeliveryOutcome } from '../bus-delivery.js';
import { createInFlight, createSlots, type InFlightWork } from '../bus-delivery-slots.js';

export interface MemoryMessage {
  id: string;
  /** As published: the SQS structured body, or whatever publishRaw stored. */
  body: string;
  /** Per-hop trace context injected at publish. */
  carrier: Record<string, string>;
  /** Deliveries so far (SQS ApproximateReceiveCount). */
  attempts: number;
}

export interface MemoryConsumer {
  /** Starts handlers for queued messages while slots are free. */
  pump(): void;
  stop(deadlineMs: number): Promise<void>;
}

export interface MemoryGroup {
  topic: string;
  queue: MemoryMessage[];
  consumers: MemoryConsumer[];
  /** A pump of the consumers is already queued for the next turn. */
  scheduled: boolean;
}

export interface MemoryConsumerOptions {
  group: MemoryGroup;
  mode: { kind: 'event'; handler: EventHandler; allowMissingJobId?: boolean } | { kind: 'raw'; handler: RawHandler };
  concurrency: number;
  maxAttempts: number;
  backoff?: Partial<BackoffOptions>;
  logger: Logger;
  /** Pumps every consumer of the group on a later turn. */
  schedule: () => void;
  /** A timer the bus clears on close. */
  later: (ms: number, fn: () => void) => void;
  deadLetter: (letter: DeadLetter) => void;
}

export function createMemoryConsumer(options: MemoryConsumerOptions): MemoryConsumer {
  const { group, mode, maxAttempts, backoff, logger, schedule } = options;
  const slots = createSlots(options.concurrency);
  const inFlight = createInFlight();
  let stopping = false;

  const run = (message: MemoryMessage, delivery: Delivery): Promise<DeliveryOutcome> => {
    const common = {
      delivery,
      spanName: `process ${group.topic}`,
      attributes: consumerSpanAttributes('memory', delivery),
      ...(backoff ? { backoff } : {}),
    };
    if (mode.kind === 'event') {
      return deliver({
        ...common,
        decode: () => fromSqsBody(message.body, { allowMissingJobId: mode.allowMissingJobId ?? false }),
        carrier: (event) => traceCarrier(message.carrier, event),
        handler: mode.handler,
      });
    }
    return deliver({
      ...common,
      decode: () => parseJsonBody(message.body),
      carrier: () => traceCarrier(message.carrier),
      handler: mode.handler,
    });
  };

  const apply = (message: MemoryMessage, outcome: DeliveryOutcome): void => {
    const log = { topic: group.topic, messageId: message.id, attempt: message.attempts };
    switch (outcome.kind) {
      case 'ack':
        return;
      case 'retry':
        logger.debug({ ...log, delayMs: outcome.delayMs, err: outcome.error }, 'handler failed; retrying after backoff');
        options.later(outcome.delayMs, () => {
          group.queue.push(message);
          schedule();
        });
        return;
      case 'dead-letter':
        logger.warn({ ...log, reason: outcome.reason }, 'message dead-lettered');
        options.deadLetter({ body: message.body, reason: outcome.reason, attempts: message.attempts, topic: group.topic });
        return;
      case 'release':
        group.queue.unshift(message);
        schedule();
        return;
    }
  };

  const handle = async (message: MemoryMessage, work: InFlightWork): Promise<void> => {
    message.attempts++;
    const delivery: Delivery = {
      topic: group.topic,
      attempt: message.attempts,
      maxAttempts,
      signal: work.signal,
      messageId: message.id,
    };
    const outcome = await run(message, delivery);
    // stop() already put it back after the grace period: the late result changes nothing.
    if (!work.givenBack) apply(message, outcome);
  };

  const consumer: MemoryConsumer = {
    pump() {
      while (!stopping && slots.free > 0 && group.queue.length > 0) {
        const message = group.queue.shift()!;
        const giveSlot = slots.take();
        void inFlight.run(
          (work) =>
            handle(message, work).finally(() => {
              giveSlot();
              schedule();
            }),
          async () => {
            group.queue.unshift(message);
            schedule();
          },
        );
      }
    },
    async stop(deadlineMs) {
      stopping = true;
      await inFlight.drain(deadlineMs);
    },
  };
  return consumer;
}
