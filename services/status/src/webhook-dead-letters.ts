/**
 * Where a webhook goes when retries run out: one JSON object per delivery in the artifacts
 * bucket, `webhook-dlq/{yyyy}/{mm}/{dd}/{jobId}-{uuid}.json` holding the target, attempts,
 * last reason and the exact body. An object store rather than the bus: the Bus carries only
 * registered CloudEvent types, and these are ours to replay by hand (docs/status.md).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectStore } from '@artifact-pipeline/shared';

export interface WebhookDeadLetter {
  url: string;
  attempts: number;
  reason: string;
  /** The CloudEvent JSON as it was sent. */
  body: string;
}

export interface WebhookDeadLetters {
  put(letter: WebhookDeadLetter): Promise<string>;
}

export const WEBHOOK_DLQ_PREFIX = 'webhook-dlq/';

export function createWebhookDeadLetters({ objects, bucket, clock = Date.now }: { objects: ObjectStore; bucket: string; clock?: () => number }): WebhookDeadLetters {
  return {
    async put(letter) {
      const at = new Date(clock());
      const day = at.toISOString().slice(0, 10).replace(/-/g, '/');
      const jobId = (JSON.parse(letter.body) as { subject?: string }).subject ?? 'unknown';
      const key = `${WEBHOOK_DLQ_PREFIX}${day}/${jobId}-${randomUUID()}.json`;
      const json = JSON.stringify({ ...letter, body: JSON.parse(letter.body) as unknown, deadLetteredAt: at.toISOString() });
      await objects.put(bucket, key, Readable.from([Buffer.from(json)]), { contentType: 'application/json' });
      return key;
    },
  };
}
