/**
 * Ingest's consumer of `artifacts.inbound` (DESIGN §2, §4): CloudEvents from other systems
 * on Kafka, binary or structured mode (the Kafka bus decodes both, with allowMissingJobId so
 * a command without `data.jobId` gets one assigned here).
 *
 * Each event goes through acceptInboundEvent. An invalid event never reaches this handler:
 * the bus dead-letters it to `artifacts.inbound.dlq` with the reason (INVALID_EVENT). An
 * event that decodes but cannot start a job (a type not accepted from outside, a bucket not
 * allowed, a jobId taken) throws a non-retriable error here and is dead-lettered the same
 * way; transient failures (Redis, the publish) are retried by the bus.
 */
import { Topic, type Bus, type Subscription } from '@artifact-pipeline/shared';
import type { AcceptDeps } from './accept-command.js';
import type { SourceBuckets } from './command-inputs.js';
import { acceptInboundEvent } from './inbound-accept.js';
import type { RuleMatcher } from './rules-match.js';

export interface InboundConsumerOptions {
  /** Where `artifacts.inbound` is read: normally the Kafka bus. */
  bus: Bus;
  matcher: RuleMatcher;
  buckets: SourceBuckets;
  /** Default `artifacts.inbound`. */
  topic?: string;
  /** Kafka consumer group; default `ingest`. */
  group?: string;
  concurrency?: number;
}

/** A consumer for createIngestService's `consumers` hook. */
export function inboundConsumer(options: InboundConsumerOptions): (accept: AcceptDeps) => Promise<Subscription> {
  const { bus, matcher, buckets, topic = Topic.inbound, group = 'ingest', concurrency } = options;
  return (accept) =>
    bus.consume(
      topic,
      async (event, delivery) => {
        const { job, created } = await acceptInboundEvent({ accept, matcher, buckets }, event);
        accept.logger.info(
          { eventId: event.id, source: event.source, type: event.type, jobId: job?.id, created, messageId: delivery.messageId },
          job ? 'inbound event accepted' : 'inbound object.created matched no rule',
        );
      },
      { group, allowMissingJobId: true, ...(concurrency !== undefined ? { concurrency } : {}) },
    );
}
