/**
 * Ingest's consumer of S3 event notifications (DESIGN §2, §7): reads the
 * `artifacts-s3-notifications` SQS queue through Bus.consumeRaw (S3 can only notify SQS,
 * SNS or EventBridge — never Kafka — so whatever BUS is, this runs on an SQS bus), decodes
 * each body (s3-records.ts) and hands every created object to acceptObject (s3-object.ts).
 *
 * Outcomes, counted in `ap_s3_notifications_total{outcome}`: `test` (s3:TestEvent, acked),
 * `unmatched` (no rule: acked), `duplicate`, `matched`. A body that is no S3 notification
 * is dead-lettered by the bus with the reason (INVALID_EVENT, not retriable). When one
 * record of several fails, the others are still handled; the message then fails with the
 * first error, and its redelivery finds the handled ones by their idempotency keys.
 */
import { Topic, type Bus, type Delivery, type Subscription } from '@artifact-pipeline/shared';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import type { AcceptDeps } from './accept-command.js';
import { acceptObject, type ObjectOutcome } from './s3-object.js';
import { decodeS3Notification } from './s3-records.js';
import type { RuleMatcher } from './rules-match.js';

export interface S3NotificationDeps {
  accept: AcceptDeps;
  matcher: RuleMatcher;
  metrics: Pick<Metrics, 's3NotificationsTotal'>;
}

/** Handles one SQS message body; throws to retry or dead-letter (Bus rules). */
export async function handleS3Notification(deps: S3NotificationDeps, body: unknown, delivery: Pick<Delivery, 'attempt' | 'messageId'>): Promise<ObjectOutcome[]> {
  const { accept, matcher, metrics } = deps;
  const notification = decodeS3Notification(body);
  if (notification.kind === 'test') {
    metrics.s3NotificationsTotal.inc({ outcome: 'test' });
    accept.logger.info({ bucket: notification.bucket, messageId: delivery.messageId }, 's3:TestEvent acknowledged');
    return [];
  }
  if (notification.ignored.length > 0) {
    accept.logger.debug({ events: notification.ignored, messageId: delivery.messageId }, 'S3 events other than ObjectCreated ignored');
  }
  const outcomes: ObjectOutcome[] = [];
  let firstError: unknown;
  for (const object of notification.objects) {
    try {
      const result = await acceptObject({ accept, matcher }, object, { redelivery: delivery.attempt > 1 });
      metrics.s3NotificationsTotal.inc({ outcome: result.outcome });
      outcomes.push(result);
    } catch (err) {
      accept.logger.warn({ err, bucket: object.bucket, key: object.key, messageId: delivery.messageId }, 'S3 notification record failed');
      firstError ??= err;
    }
  }
  if (firstError !== undefined) throw firstError;
  return outcomes;
}

export interface S3NotificationConsumerOptions {
  /** Where the notifications are read: an SQS bus (S3 cannot notify Kafka). */
  bus: Bus;
  matcher: RuleMatcher;
  metrics: Pick<Metrics, 's3NotificationsTotal'>;
  /** Logical queue name; default `artifacts-s3-notifications` (S3_NOTIFICATIONS_QUEUE). */
  topic?: string;
  concurrency?: number;
}

/** A consumer for createIngestService's `consumers` hook. */
export function s3NotificationConsumer(options: S3NotificationConsumerOptions): (accept: AcceptDeps) => Promise<Subscription> {
  const { bus, matcher, metrics, topic = Topic.s3Notifications, concurrency } = options;
  return (accept) =>
    bus.consumeRaw(topic, async (body, delivery) => void (await handleS3Notification({ accept, matcher, metrics }, body, delivery)), {
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
}
