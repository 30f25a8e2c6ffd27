/**
 * Leases in Redis: `ap:lease:{name}` holds the holder's id with a PX expiry, so a crashed
 * holder's lease lapses by itself. Acquire is SET NX PX; renew and release compare the
 * holder and act in one script, so a holder whose lease lapsed and was taken can never
 * extend or delete the new holder's lease.
 */
import type { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../logger.js';
import type { Leases } from '../ports/lease.js';
import { requireLease } from './lease-input.js';
import { openRedis, type RedisConnectionOptions } from './redis-connection.js';
import { redisCall } from './redis-errors.js';
import { jobKeys } from './redis-job-codec.js';

/** KEYS: lease. ARGV: holder, ttl ms. 1 when the holder owns it now (a re-acquire extends). */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** KEYS: lease. ARGV: holder, ttl ms. 1 when extended. */
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** KEYS: lease. ARGV: holder. 1 when deleted. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

export interface RedisLeasesOptions extends RedisConnectionOptions {
  /** Prepended to every key. Default ''. */
  keyPrefix?: string;
  logger?: Logger;
}

export interface RedisLeases extends Leases {
  /** Quits the connection if these leases opened it (not a lent `client`). */
  close(): Promise<void>;
}

interface LeaseScripts {
  apLeaseAcquire(key: string, holder: string, ttlMs: number): Promise<number>;
  apLeaseRenew(key: string, holder: string, ttlMs: number): Promise<number>;
  apLeaseRelease(key: string, holder: string): Promise<number>;
}

export function createRedisLeases(options: RedisLeasesOptions): RedisLeases {
  const connection = openRedis(options, options.logger ?? silentLogger());
  const redis: Redis = connection.redis;
  redis.defineCommand('apLeaseAcquire', { numberOfKeys: 1, lua: ACQUIRE });
  redis.defineCommand('apLeaseRenew', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('apLeaseRelease', { numberOfKeys: 1, lua: RELEASE });
  const scripts = redis as unknown as LeaseScripts;
  const keys = jobKeys(options.keyPrefix ?? '');

  return {
    async acquire(name, holder, ttlMs) {
      requireLease(name, holder, ttlMs);
      return (await redisCall(() => scripts.apLeaseAcquire(keys.lease(name), holder, ttlMs))) === 1;
    },
    async renew(name, holder, ttlMs) {
      requireLease(name, holder, ttlMs);
      return (await redisCall(() => scripts.apLeaseRenew(keys.lease(name), holder, ttlMs))) === 1;
    },
    async release(name, holder) {
      requireLease(name, holder, 1);
      await redisCall(() => scripts.apLeaseRelease(keys.lease(name), holder));
    },
    close: () => connection.release(),
  };
}
