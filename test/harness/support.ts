/**
 * Small helpers every test uses: names a test owns, waits with deadlines, and the
 * addresses of the real servers the harness started (or the environment pointed at).
 */
import { randomUUID } from 'node:crypto';

export interface Servers {
  redisUrl: string;
  kafkaBrokers: string[];
  awsEndpointUrl: string;
}

/** The servers for integration tests; a clear error when the harness did not provide them. */
export function servers(): Servers {
  const missing = ['REDIS_URL', 'KAFKA_BROKERS', 'AWS_ENDPOINT_URL'].filter((n) => !process.env[n]);
  if (missing.length > 0) {
    throw new Error(
      `integration tests need ${missing.join(', ')}: run them with 'npm test', or 'eval "$(npm run -s infra:up)"' first`,
    );
  }
  return {
    redisUrl: process.env.REDIS_URL!,
    kafkaBrokers: process.env.KAFKA_BROKERS!.split(',').map((s) => s.trim()).filter(Boolean),
    awsEndpointUrl: process.env.AWS_ENDPOINT_URL!,
  };
}

/** A name no other test uses: `test-<label>-<uuid8>`; safe for queues, topics, buckets, prefixes. */
export function uniqueName(label: string): string {
  return `test-${label}-${randomUUID().slice(0, 8)}`.toLowerCase();
}

/** Rejects with a message naming `what` if `promise` has not settled within `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`deadline: ${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` until it returns a value other than undefined/false, or the deadline passes. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  { timeoutMs = 20_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until) {
      const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`deadline: ${what} did not happen within ${timeoutMs} ms${suffix}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** AWS client settings for moto: path-style, test credentials, us-east-1. */
export function awsTestConfig(endpoint: string) {
  return {
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
    },
  };
}
