/**
 * How the Redis adapters get a connection: a client the caller lends (and keeps closing),
 * or one made from a URL and ioredis options (and closed by the adapter).
 */
import { Redis, type RedisOptions } from 'ioredis';
import { badInput } from '../errors.js';
import type { Logger } from '../logger.js';

export interface RedisConnectionOptions {
  /** `redis://host:port/db`; used when no `client` is given. */
  url?: string;
  /** ioredis options, alone or on top of `url`. */
  redisOptions?: RedisOptions;
  /** An existing client to use; the adapter never closes it. */
  client?: Redis;
}

export interface RedisConnection {
  redis: Redis;
  /** Another connection with the same settings (a subscriber needs its own). */
  duplicate(): Redis;
  /** Quits the connection if the adapter made it. */
  release(): Promise<void>;
}

/**
 * The connection an adapter works on. Connection errors on connections it makes are logged
 * (ioredis reconnects by itself; without a listener it prints "Unhandled error event").
 */
export function openRedis({ url, redisOptions, client }: RedisConnectionOptions, logger: Logger): RedisConnection {
  let redis: Redis;
  let owned = true;
  if (client !== undefined) {
    redis = client;
    owned = false;
  } else if (url !== undefined) {
    redis = new Redis(url, redisOptions ?? {});
  } else if (redisOptions !== undefined) {
    redis = new Redis(redisOptions);
  } else {
    throw badInput('a Redis adapter needs `url`, `redisOptions` or `client`');
  }
  const logErrors = (connection: Redis): Redis =>
    connection.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error; ioredis reconnects'));
  if (owned) logErrors(redis);
  return {
    redis,
    duplicate: () => logErrors(redis.duplicate()),
    release: async () => {
      if (owned) await quit(redis);
    },
  };
}

/** QUIT, or disconnect when the connection is already down (QUIT would wait for it). */
export async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
