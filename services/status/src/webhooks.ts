/**
 * Notifications: on `job.completed` and a final `job.failed`, POST a CloudEvent
 * in structured JSON mode (CloudEvents HTTP binding §3.2, `application/cloudevents+json`)
 * to WEBHOOK_URL and to the job's own `input.notify.webhook` when the allow-list passes it
 * (webhook-target.ts). Signed (webhook-signature.ts); retried with backoff (retry.ts) on
 * network errors, 408, 429 and 5xx; then dead-lettered (webhook-dead-letters.ts). The
 * outcome is recorded on the job (`notifications`). The event id is the id of the event that
 * ended the job, so a receiver can drop duplicates.
 *
 * Once per final state: deliveries start when the final change is applied; a redelivered
 * final event starts them again only for targets with no recorded outcome (a crash between
 * apply and delivery), and never while the same delivery runs in this process.
 * Deliveries run beside the projector (it never waits for a slow receiver); drain() waits.
 */
import { ErrorCode, PipelineError, retry, silentLogger, type Job, type JobStore, type Logger, type PipelineEvent } from '@artifact-pipeline/shared';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { TelemetryNames } from '@artifact-pipeline/shared/telemetry/names';
import { toJobView } from './job-view.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';
import { checkWebhookTarget, type TargetPolicy } from './webhook-target.js';
import type { WebhookDeadLetters } from './webhook-dead-letters.js';

export interface NotifierOptions extends Omit<TargetPolicy, 'lookup'> {
  jobs: JobStore;
  /** WEBHOOK_SECRET; without one nothing is sent (config requires it with WEBHOOK_URL). */
  secret: string | undefined;
  /** WEBHOOK_URL. */
  url?: string | undefined;
  deadLetters: WebhookDeadLetters;
  logger?: Logger;
  metrics?: Metrics;
  /** Requests per target, the first included. Default 6. */
  attempts?: number;
  /** First backoff ceiling, in ms. Default 1,000 (then 2, 4, 8, 16 s). */
  baseDelayMs?: number;
  /** One request's timeout, in ms. Default 10,000. */
  timeoutMs?: number;
  lookup?: TargetPolicy['lookup'];
  clock?: () => number;
}

export interface Notifier {
  /** The projector's hook: starts deliveries for a final job. */
  notify(event: PipelineEvent, job: Job, applied: boolean): void;
  /** Waits for deliveries in flight, up to `deadlineMs`. */
  drain(deadlineMs: number): Promise<void>;
}

const OUTCOME = TelemetryNames.outcomes.webhook;

export function createNotifier(options: NotifierOptions): Notifier {
  const { jobs, secret, url, deadLetters, logger = silentLogger(), metrics, attempts = 6, baseDelayMs = 1_000, timeoutMs = 10_000, clock = Date.now } = options;
  const running = new Map<string, Promise<void>>();

  const targetsOf = (job: Job): string[] => {
    const notify = (job.input as { notify?: { webhook?: unknown } }).notify;
    const own = typeof notify?.webhook === 'string' ? [notify.webhook] : [];
    return [...new Set([...(url ? [url] : []), ...own])];
  };

  const deliver = async (target: string, trusted: boolean, event: PipelineEvent, job: Job): Promise<void> => {
    const body = JSON.stringify({
      specversion: '1.0',
      id: event.id,
      source: '/artifact-pipeline/status',
      type: event.type,
      subject: job.id,
      time: event.time,
      datacontenttype: 'application/json',
      data: toJobView(job),
    });
    let tries = 0;
    try {
      if (!trusted) await checkWebhookTarget(target, options);
      await retry(async () => {
        tries++;
        const unix = Math.floor(clock() / 1000);
        const res = await fetch(target, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/cloudevents+json', [SIGNATURE_HEADER]: signWebhook(body, secret!, unix) },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        }).catch((err: unknown) => {
          throw new PipelineError(`webhook request failed: ${(err as Error).message}`, { code: ErrorCode.UNAVAILABLE, retriable: true, cause: err });
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        const retriable = res.status === 408 || res.status === 429 || res.status >= 500;
        throw new PipelineError(`webhook answered ${res.status}`, { code: retriable ? ErrorCode.UNAVAILABLE : ErrorCode.INVALID_INPUT, retriable, context: { status: res.status } });
      }, {
        attempts,
        baseMs: baseDelayMs,
        budgetMs: Number.MAX_SAFE_INTEGER,
        onRetry: (err, attempt, delayMs) => {
          metrics?.webhookDeliveriesTotal.inc({ outcome: OUTCOME.retried });
          logger.info({ jobId: job.id, target, attempt, delayMs, err }, 'webhook delivery failed; retrying');
        },
      });
      metrics?.webhookDeliveriesTotal.inc({ outcome: OUTCOME.delivered });
      await jobs.recordNotification(job.id, { url: target, status: 'delivered', attempts: tries, at: new Date(clock()).toISOString() });
    } catch (err) {
      metrics?.webhookDeliveriesTotal.inc({ outcome: OUTCOME.failed });
      logger.warn({ jobId: job.id, target, attempts: tries, err }, 'webhook delivery gave up; dead-lettering');
      await deadLetters.put({ url: target, attempts: tries, reason: (err as Error).message, body });
      await jobs.recordNotification(job.id, { url: target, status: 'failed', attempts: tries, at: new Date(clock()).toISOString() });
    }
  };

  return {
    notify(event, job, applied) {
      if (secret === undefined || (job.status !== 'done' && job.status !== 'failed')) return;
      const recorded = new Set((job.notifications ?? []).map((n) => n.url));
      for (const target of targetsOf(job)) {
        const key = `${job.id}\u0000${target}`;
        if (running.has(key) || (!applied && recorded.has(target))) continue;
        const delivery = deliver(target, target === url, event, job)
          .catch((err: unknown) => logger.error({ err, jobId: job.id, target }, 'webhook outcome could not be recorded'))
          .finally(() => running.delete(key));
        running.set(key, delivery);
      }
    },
    async drain(deadlineMs) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, deadlineMs); });
      await Promise.race([Promise.allSettled([...running.values()]), deadline]);
      clearTimeout(timer);
    },
  };
}
