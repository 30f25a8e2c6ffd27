/**
 * Webhook signatures: HMAC-SHA256 over `${timestamp}.${body}` with WEBHOOK_SECRET, sent as
 * `X-Artifact-Signature: t=<unix seconds>,v1=<hex>` (the scheme Stripe popularised). The
 * timestamp inside the signed text lets a receiver refuse replays older than its tolerance.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Artifact-Signature';

export function signWebhook(body: string, secret: string, unixSeconds: number): string {
  const hex = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${hex}`;
}

/**
 * What a receiver does: true when `header` signs `body` with `secret` and its timestamp is
 * within `toleranceSeconds` (default 300) of `nowSeconds`.
 */
export function verifyWebhook(body: string, header: string, secret: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isSafeInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = signWebhook(body, secret, t).split('v1=')[1]!;
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
