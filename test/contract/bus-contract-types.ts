/**
 * The shapes an adapter's test file provides to run the Bus contract (bus.contract.ts).
 * Kept apart so the case files and the adapters' test files can import them without cycles.
 */
import type { Bus } from '@artifact-pipeline/shared';

/** How the kill case starts a consumer in another process (see bus-contract-child.ts). */
export interface SpawnConsumerOptions {
  /** ConsumeOptions.group the child must use: the parent takes over the same group. */
  group: string;
}

/** A consumer running in a child process that calls process.exit inside its handler. */
export interface SpawnedConsumer {
  /** Resolves once the child's consume() has returned. */
  ready: Promise<void>;
  /** Resolves with the message the child was handling when it exited on purpose. */
  handling: Promise<{ id: string; attempt: number }>;
  /** Resolves with the child's exit code (CHILD_EXIT_CODE when it died inside the handler). */
  exited: Promise<number | null>;
  /** Kills the child if it still runs (cleanup only). */
  kill(): void;
}

export interface BusFixture {
  /** The adapter under test, built with `maxAttempts` and a small backoff (tens of ms). */
  bus: Bus;
  /** A topic no other case uses, with ensureTopic already done. `label` goes into the name. */
  newTopic(label: string): Promise<string>;
  /** The maxAttempts the bus was built with; keep it small (3) so the dead-letter case is quick. */
  maxAttempts: number;
  /**
   * Puts `raw` on the wire of `topic` exactly as given, bypassing the codec: the SQS body,
   * the Kafka value without `ce_` headers, the memory bus's stored string.
   */
  publishRaw(topic: string, raw: string | Buffer): Promise<void>;
  /** Starts a consumer of `topic` in a child process. Absent: the kill case is skipped. */
  spawnConsumer?(topic: string, options: SpawnConsumerOptions): SpawnedConsumer;
  /** Closes the bus and anything else the fixture opened. */
  close(): Promise<void>;
}

export type ContractCase =
  | 'round-trip'
  | 'concurrency'
  | 'retry'
  | 'dead-letter'
  | 'malformed'
  | 'non-retriable'
  | 'stop'
  | 'kill';

export interface ContractOptions {
  /** Upper bound of any single wait for a delivery, in ms. Default 20,000. */
  timeoutMs?: number;
  /**
   * Upper bound for a message held by a dead consumer to reach the next one, in ms
   * (SQS: the visibility timeout; Kafka: the session timeout and a rebalance). Default 30,000.
   */
  redeliveryTimeoutMs?: number;
  /** Cases not to run, each with the reason printed in the suite name. */
  skip?: Partial<Record<ContractCase, string>>;
}
