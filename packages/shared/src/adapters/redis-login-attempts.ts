/**
 * LoginAttempts (http/auth-login-attempts.ts) in Redis, so every ingest replica counts the
 * same failures: `ap:login:{username}` = failures in the window, expiring with the window
 * (INCR, then EXPIRE NX on the first failure: the window starts at the first failure).
 */
import type { Logger } from '../logger.js';
import { LOGIN_ATTEMPT_DEFAULTS, type LoginAttempts, type LoginAttemptsOptions } from '../http/auth-login-attempts.js';
import { openRedis, type RedisConnectionOptions } from './redis-connection.js';

export interface RedisLoginAttemptsOptions extends RedisConnectionOptions, Omit<LoginAttemptsOptions, 'now'> {
  logger: Logger;
  /** Key prefix. Default `ap:login:`. */
  keyPrefix?: string;
}

export function createRedisLoginAttempts(options: RedisLoginAttemptsOptions): LoginAttempts & { close(): Promise<void> } {
  const { maxFailures = LOGIN_ATTEMPT_DEFAULTS.maxFailures, windowSeconds = LOGIN_ATTEMPT_DEFAULTS.windowSeconds, keyPrefix = 'ap:login:' } = options;
  const connection = openRedis(options, options.logger);
  const { redis } = connection;
  const key = (name: string) => `${keyPrefix}${name}`;
  return {
    async blockedFor(name) {
      const [[, count], [, ttl]] = (await redis.multi().get(key(name)).ttl(key(name)).exec()) as [[unknown, string | null], [unknown, number]];
      if (count === null || Number(count) < maxFailures) return 0;
      return ttl > 0 ? ttl : 1;
    },
    async recordFailure(name) {
      await redis.multi().incr(key(name)).expire(key(name), windowSeconds, 'NX').exec();
    },
    async reset(name) {
      await redis.del(key(name));
    },
    close: () => connection.release(),
  };
}
