import type { PipelineEvent } from '../events/envelope.js';

/**
 * Logical topic names (DESIGN §4). SQS queue names replace '.' with '-';
 * dead letters go to `<queue>-dlq` (SQS) or `<topic>.dlq` (Kafka).
 */
export const Topic = {
  zipCommands: 'artifacts.commands.zip',
  reportCommands: 'artifacts.commands.report',
  events: 'artifacts.events',
  inbound: 'artifacts.inbound',
  s3Notifications: 'artifacts-s3-notifications',
} as const;

/** What a handler is told about the delivery it is working on. */
export interface Delivery {
  topic: string;
  /** 1 on first delivery; counts redeliveries and retries. */
  attempt: number;
  /** MAX_ATTEMPTS in force: when attempt === maxAttempts a failure is final. */
  maxAttempts: number;
  /** Aborted when the consumer is stopping and the deadline has passed: give the work back. */
  signal: AbortSignal;
  /** Transport message id (SQS MessageId, Kafka partition:offset), for logs. */
  messageId: string;
}

/**
 * Resolve = ack (SQS DeleteMessage, Kafka commit after the handler).
 * Throw a retriable error = retry with backoff until maxAttempts, then dead-letter.
 * Throw a non-retriable error = dead-letter at once with the error attached.
 */
export type EventHandler = (event: PipelineEvent, delivery: Delivery) => Promise<void>;

/**
 * Raw messages that are not CloudEvents at all (S3 notifications on SQS) are handed over
 * as parsed JSON bodies instead; the same ack/retry/dead-letter rules apply.
 */
export type RawHandler = (body: unknown, delivery: Delivery) => Promise<void>;

export interface ConsumeOptions {
  /** Handlers running at once for this subscription. Default WORKER_CONCURRENCY (1). */
  concurrency?: number;
  /** Consumer group (Kafka) — one per service. Ignored by SQS. */
  group?: string;
  /**
   * consume() only: accept `zip.requested` / `report.requested` without `data.jobId`
   * (commands from other systems on `artifacts.inbound`, before ingest assigns the id;
   * ParseEventOptions.allowMissingJobId). Default false: such a command is dead-lettered.
   */
  allowMissingJobId?: boolean;
}

export interface Subscription {
  /**
   * Stop taking new messages; wait up to `deadlineMs` for handlers in flight, then abort
   * their signals and release their messages for redelivery (never ack unfinished work).
   */
  stop(deadlineMs?: number): Promise<void>;
}

export interface DeadLetter {
  /** The message as it arrived, undecoded when it could not be decoded. */
  body: string;
  reason: { code: string; message: string };
  attempts: number;
  topic: string;
}

export interface Bus {
  publish(topic: string, event: PipelineEvent): Promise<void>;
  consume(topic: string, handler: EventHandler, options?: ConsumeOptions): Promise<Subscription>;
  /** For transports that carry foreign JSON (S3 notifications over SQS). */
  consumeRaw(topic: string, handler: RawHandler, options?: ConsumeOptions): Promise<Subscription>;
  /** Reads (and removes) what sits in a topic's dead-letter destination; for tools and tests. */
  drainDeadLetters(topic: string, max?: number): Promise<DeadLetter[]>;
  /**
   * Creates the topic/queue and its dead-letter destination if missing. Idempotent. Only
   * `artifacts provision`, local mode and tests call it: a service never creates resources.
   */
  ensureTopic(topic: string): Promise<void>;
  /**
   * What a service calls at start for each topic it uses: checks that the topic and its
   * dead-letter destination exist (SQS GetQueueAttributes, Kafka metadata), and fails with
   * NOT_FOUND naming the topic and `artifacts provision` — never creates or reconfigures.
   */
  resolveTopic(topic: string): Promise<void>;
  /** Transport reachable? For /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
