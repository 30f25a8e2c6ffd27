/**
 * The Bus contract: one suite every adapter (memory, SQS, Kafka) must pass (DESIGN §4, §10).
 *
 * Use from an adapter's test file:
 *
 *   busContract('sqs', async () => ({
 *     bus,                         // built with maxAttempts (3) and a small backoff
 *     maxAttempts: 3,
 *     newTopic: async (label) => { const t = uniqueName(label); await bus.ensureTopic(t); return t; },
 *     publishRaw: (topic, raw) => ..., // bytes on the wire, bypassing the codec
 *     spawnConsumer: (topic, opts) => spawnBusChild({ module, exportName, options }, topic, opts),
 *     close: () => bus.close(),
 *   }), { redeliveryTimeoutMs: 15_000 });
 *
 * Each case group is a uvu suite with its own fixture (built in `before`, closed in
 * `after`); each test takes a fresh topic from `newTopic` and a fresh consumer group, so
 * tests can share servers. What the cases require of an adapter:
 *
 * - round trip: the event arrives deep-equal (every attribute and extension), with
 *   Delivery {topic, attempt 1, maxAttempts, messageId, signal}; the handler runs in a span
 *   of the trace that was active at publish (per-hop traceparent, not the event's own
 *   extension); messages published before consume() are not lost (Kafka: a new group
 *   starts from the beginning of its topic).
 * - concurrency: with {concurrency: 3}, never more than 3 handlers at once, and more than 1.
 * - retry: a retriable failure comes back with attempt 2, 3…; success acks for good.
 * - dead letter: after maxAttempts the message lands in drainDeadLetters(topic) with
 *   {code, message} of the last error, attempts = maxAttempts, the original body; the
 *   consumer carries on.
 * - malformed: not JSON / not a CloudEvent / unknown type → dead letter at once, body as it
 *   arrived, reason code INVALID_EVENT; the handler never sees it.
 * - non-retriable: a non-retriable PipelineError keeps its code; anything else thrown
 *   (a TypeError) is dead-lettered as INTERNAL with its message; attempts 1.
 * - stop(deadline): waits for handlers; at the deadline aborts the rest; aborted messages
 *   (whether the handler then throws or returns) are neither acked nor dead-lettered and
 *   reach the next consumer of the group.
 * - kill: a consumer process that exits inside a handler leaves the message to the next.
 */
import { concurrencyCase, roundTripCase } from './bus-contract-basics.js';
import { failureCases } from './bus-contract-failures.js';
import { lifecycleCases } from './bus-contract-lifecycle.js';
import type { BusFixture, ContractOptions } from './bus-contract-types.js';

export type {
  BusFixture,
  ContractCase,
  ContractOptions,
  SpawnConsumerOptions,
  SpawnedConsumer,
} from './bus-contract-types.js';
export { CHILD_EXIT_CODE, spawnBusChild, type ChildBusSpec } from './bus-contract-child.js';
export { sampleEvent } from './bus-contract-support.js';

/** Registers (and queues to run) every contract suite for one adapter. */
export function busContract(
  name: string,
  makeFixture: () => Promise<BusFixture>,
  options: ContractOptions = {},
): void {
  const skip = options.skip ?? {};
  for (const [which, why] of Object.entries(skip)) console.log(`  ${name} bus: contract case '${which}' not run: ${why}`);
  if (!skip['round-trip']) roundTripCase(name, makeFixture, options);
  if (!skip.concurrency) concurrencyCase(name, makeFixture, options);
  failureCases(name, makeFixture, options);
  lifecycleCases(name, makeFixture, options);
}
