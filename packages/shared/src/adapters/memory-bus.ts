/**
 * The Bus in process (DESIGN §4): unit tests and the all-in-one local mode. Same rules as
 * the real transports: messages are stored encoded (the SQS structured body) and decoded
 * on delivery, so a malformed one is dead-lettered like anywhere else; publish only
 * queues (a handler never runs inside publish); retries wait out their backoff on timers.
 *
 * Groups work like Kafka consumer groups: every group of a topic gets every message, and
 * the consumers of one group share its messages. Without a group, consumers share the
 * default group (SQS semantics). Messages published while a topic has no group yet wait
 * for the first one.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { BackoffOptions } from '../retry.js';
import type { PipelineEvent } from '../events/envelope.js';
import { toSqsBody } from '../events/codec-sqs.js';
import { injectTraceContext, withProducerSpan } from '../telemetry/propagation.js';
import type { Bus, ConsumeOptions, DeadLetter, EventHandler, RawHandler, Subscription } from '../ports/bus.js';
import { createMemoryConsumer, type MemoryMessage, type MemoryGroup } from './memory-bus-consumer.js';

export interface MemoryBusOptions {
  /** MAX_ATTEMPTS: deliveries of one message before it is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Retry backoff (retry.ts defaults: 200 ms doubling to 30 s, full jitter). */
  backoff?: Partial<BackoffOptions>;
  logger?: Logger;
}

export interface MemoryBus extends Bus {
  /** Stores `raw` as the message body without encoding: for malformed-message tests. */
  publishRaw(topic: string, raw: string | Buffer): Promise<void>;
}

interface TopicState {
  groups: Map<string, MemoryGroup>;
  /** Published before any group existed; handed to the first group. */
  unclaimed: MemoryMessage[];
  deadLetters: DeadLetter[];
}

const DEFAULT_GROUP = '';

export function createMemoryBus({ maxAttempts = 5, backoff, logger = silentLogger() }: MemoryBusOptions = {}): MemoryBus {
  const topics = new Map<string, TopicState>();
  const subscriptions = new Set<Subscription>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const topicState = (topic: string): TopicState => {
    let state = topics.get(topic);
    if (!state) {
      state = { groups: new Map(), unclaimed: [], deadLetters: [] };
      topics.set(topic, state);
    }
    return state;
  };

  const groupState = (topic: string, name: string): MemoryGroup => {
    const state = topicState(topic);
    let group = state.groups.get(name);
    if (!group) {
      const queue = state.groups.size === 0 ? state.unclaimed.splice(0) : [];
      group = { topic, queue, consumers: [], scheduled: false };
      state.groups.set(name, group);
    }
    return group;
  };

  const enqueue = (topic: string, body: string, carrier: Record<string, string>): void => {
    if (closed) throw new Error('memory bus is closed');
    const state = topicState(topic);
    const message = (): MemoryMessage => ({ id: randomUUID(), body, carrier, attempts: 0 });
    if (state.groups.size === 0) state.unclaimed.push(message());
    for (const group of state.groups.values()) {
      group.queue.push(message());
      schedule(group);
    }
  };

  /** Feeds the group's consumers on a later turn: publish never runs a handler itself. */
  const schedule = (group: MemoryGroup): void => {
    if (group.scheduled) return;
    group.scheduled = true;
    setImmediate(() => {
      group.scheduled = false;
      for (const consumer of group.consumers) consumer.pump();
    });
  };

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) fn();
    }, ms);
    timers.add(timer);
  };

  const subscribe = async (
    topic: string,
    mode: { kind: 'event'; handler: EventHandler; allowMissingJobId?: boolean } | { kind: 'raw'; handler: RawHandler },
    options: ConsumeOptions = {},
  ): Promise<Subscription> => {
    if (closed) throw new Error('memory bus is closed');
    const group = groupState(topic, options.group ?? DEFAULT_GROUP);
    const consumer = createMemoryConsumer({
      group,
      mode,
      concurrency: options.concurrency ?? 1,
      maxAttempts,
      ...(backoff ? { backoff } : {}),
      logger,
      schedule: () => schedule(group),
      later,
      deadLetter: (letter) => topicState(topic).deadLetters.push(letter),
    });
    group.consumers.push(consumer);
    schedule(group);
    const subscription: Subscription = {
      async stop(deadlineMs = 30_000) {
        group.consumers = group.consumers.filter((c) => c !== consumer);
        await consumer.stop(deadlineMs);
        subscriptions.delete(subscription);
        schedule(group);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  };

  return {
    async publish(topic: string, event: PipelineEvent) {
      const body = toSqsBody(event);
      await withProducerSpan(`publish ${topic}`, { 'messaging.system': 'memory', 'messaging.destination.name': topic }, async () => {
        const carrier: Record<string, string> = {};
        injectTraceContext(carrier);
        enqueue(topic, body, carrier);
      });
    },
    async publishRaw(topic, raw) {
      enqueue(topic, Buffer.isBuffer(raw) ? raw.toString('utf8') : raw, {});
    },
    consume: (topic, handler, options) =>
      subscribe(topic, { kind: 'event', handler, allowMissingJobId: options?.allowMissingJobId ?? false }, options),
    consumeRaw: (topic, handler, options) => subscribe(topic, { kind: 'raw', handler }, options),
    async drainDeadLetters(topic, max = 100) {
      return topicState(topic).deadLetters.splice(0, max);
    },
    async ensureTopic(topic) {
      topicState(topic);
    },
    // In-process topics exist once named: there is nothing to provision.
    async resolveTopic(topic) {
      topicState(topic);
    },
    async ping() {
      if (closed) throw new Error('memory bus is closed');
    },
    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop(0)));
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
