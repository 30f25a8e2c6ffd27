/**
 * The bus consumers ingest runs as a service (DESIGN §2): S3 event notifications from
 * S3_NOTIFICATIONS_QUEUE (an SQS queue whatever BUS is), and CloudEvents from other systems
 * on `artifacts.inbound` when the bus is Kafka. For createIngestService's `consumers`.
 */
import { createNotificationsBus, type Bus, type Config, type Logger, type Subscription } from '@artifact-pipeline/shared';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import type { AcceptDeps } from './accept-command.js';
import { inboundConsumer } from './inbound-consumer.js';
import type { RuleMatcher } from './rules-match.js';
import { s3NotificationConsumer } from './s3-notifications.js';

export interface IngestConsumers {
  consumers: Array<(accept: AcceptDeps) => Promise<Subscription>>;
  /** Names of what is consumed, for the start-up log line. */
  sources: string[];
  /** Closes the separate SQS bus opened for S3 notifications, if any. */
  close(): Promise<void>;
}

export interface IngestConsumersDeps {
  config: Pick<Config, 's3' | 'bus' | 'aws' | 'worker'>;
  bus: Bus;
  matcher: RuleMatcher;
  metrics: Metrics;
  logger: Logger;
}

export async function createIngestConsumers({ config, bus, matcher, metrics, logger }: IngestConsumersDeps): Promise<IngestConsumers> {
  const consumers: IngestConsumers['consumers'] = [];
  const sources: string[] = [];
  const notifications = await createNotificationsBus(config, { bus, logger });
  if (notifications) {
    consumers.push(s3NotificationConsumer({ bus: notifications.bus, matcher, metrics, topic: notifications.queue }));
    sources.push(`S3 notifications on ${notifications.queue} (sqs)`);
  }
  if (config.bus.kind === 'kafka') {
    const buckets = { defaultBucket: config.s3.artifactsBucket, allowed: config.s3.allowedSourceBuckets };
    consumers.push(inboundConsumer({ bus, matcher, buckets }));
    sources.push('artifacts.inbound (kafka)');
  }
  return {
    consumers,
    sources,
    close: async () => void (notifications?.owned ? await notifications.bus.close() : undefined),
  };
}
