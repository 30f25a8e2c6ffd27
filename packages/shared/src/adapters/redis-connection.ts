/**
 * How the Redis adapters get a connection: a client the caller lends (and keeps closing),
 * or one made from a URL and ioredis options (and closed by the adapter).
 *
 * Two kinds of patience, because a caller that an HTTP client waits on and a consumer that
 * can wait are served best by different ioredis settings:
 *
 * - `background` (default): ioredis' own defaults. While the connection is down, commands
 *   wait in the offline queue and are sent when it is back; each is given up only after 20
 *   reconnection attempts (`maxRetriesPerRequest`), which is about 10 s with the default
 *   reconnect delays (50 ms more per attempt, at most 2 s). Workers and the status
 *   projector then retry with their own backoff (docs/retry.md).
 * - `request`: fail within about a second, so the API answers 503 UNAVAILABLE with
 *   Retry-After instead of holding the request ~10 s. Once the connection has been up,
 *   the offline queue is off (`enableOfflineQueue: false`): a command while it is down fails
 *   at once instead of waiting for a reconnect (and is not sent later behind the caller's
 *   back). Before the first connection commands queue, since a service must be able to
 *   start before Redis answers. Every command is bounded by `commandTimeout` (1 s), which
 *   also covers a Redis that accepts connections but does not answer (stopped with SIGSTOP,
 *   or a network that drops packets); `connectTimeout` is 1 s too, and a command caught by
 *   a dropped connection is given up after one reconnection attempt. ioredis keeps
 *   reconnecting in the background either way.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { badInput } from '../errors.js';
import type { Logger } from '../logger.js';

export interface RedisConnectionOptions {
  /** `redis://host:port/db`; used when no `client` is given. */
  url?: string;
  /** ioredis options, alone or on top of `url`. */
  redisOptions?: RedisOptions;
  /** An existing client to use; the adapter never closes it (nor changes its settings). */
  client?: Redis;
  /** How long a call may wait for Redis; see above. Default 'background'. */
  patience?: RedisPatience;
}

export type RedisPatience = 'request' | 'background';

/** ms; the `request` bounds: about a second per call, whatever Redis does. */
export const REQUEST_COMMAND_TIMEOUT_MS = 1_000;
const REQUEST_OPTIONS: RedisOptions = Object.freeze({
  commandTimeout: REQUEST_COMMAND_TIMEOUT_MS,
  connectTimeout: 1_000,
  maxRetriesPerRequest: 1,
});

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
export function openRedis({ url, redisOptions, client, patience = 'background' }: RedisConnectionOptions, logger: Logger): RedisConnection {
  let redis: Redis;
  let owned = true;
  // The caller's own options win, so a test or an operator can still set any of these.
  const options = patience === 'request' ? { ...REQUEST_OPTIONS, ...redisOptions } : (redisOptions ?? {});
  if (client !== undefined) {
    redis = client;
    owned = false;
  } else if (url !== undefined) {
    redis = new Redis(url, options);
  } else if (redisOptions !== undefined) {
    redis = new Redis(options);
  } else {
    throw badInput('a Redis adapter needs `url`, `redisOptions` or `client`');
  }
  const prepare = (connection: Redis): Redis => {
    connection.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error; ioredis reconnects'));
    if (patience === 'request' && redisOptions?.enableOfflineQueue === undefined) queueUntilFirstReady(connection);
    return connection;
  };
  if (owned) prepare(redis);
  return {
    redis,
    duplicate: () => prepare(redis.duplicate()),
    release: async () => {
      if (owned) await quit(redis);
    },
  };
}

/**
 * The offline queue on until the connection is first ready, off from then on. ioredis reads
 * `options.enableOfflineQueue` on every command, so this takes effect at once; a duplicate
 * copies the options, so each connection is set up this way on its own.
 */
function queueUntilFirstReady(connection: Redis): void {
  connection.options.enableOfflineQueue = connection.status !== 'ready';
  connection.once('ready', () => {
    connection.options.enableOfflineQueue = false;
  });
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
