/**
 * The config as it may be logged at start-up: secrets replaced by `[redacted]`, and
 * credentials in URLs (REDIS_URL may carry a password) masked.
 */
import type { Config } from './config-types.js';

const REDACTED = '[redacted]';

function maskUrlPassword(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = REDACTED;
    return parsed.toString();
  } catch {
    return REDACTED;
  }
}

export function redactConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    redis: { url: maskUrlPassword(config.redis.url) },
    auth: { ...config.auth, jwtSecret: config.auth.jwtSecret === undefined ? undefined : REDACTED },
    webhook: { ...config.webhook, secret: config.webhook.secret === undefined ? undefined : REDACTED },
  };
}
