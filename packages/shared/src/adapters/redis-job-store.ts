/**
 * The job read model in Redis (DESIGN §5): one hash per job, sorted sets for listing,
 * idempotency claims and S3 dedupe markers with a TTL. create() and apply() are Lua scripts
 * (redis-job-scripts.ts, redis-apply-script.ts), so each change is atomic and apply() publishes the changed job on
 * `ap:job:{id}:changes` in the same step. Concurrent apply() calls share one script call
 * (redis-apply-batcher.ts). Every key and channel starts with `keyPrefix`.
 *
 * Errors: IDEMPOTENCY_MISMATCH (not retriable) from create(); bad input as INVALID_INPUT;
 * everything from Redis as a PipelineError, UNAVAILABLE when retrying can help. Callers
 * retry (retry.ts): both writes are idempotent.
 *
 * Listing indexes drop an expired job when that index is read (list() of its owner, or the
 * admin list), so each index may hold ids of expired jobs until then; list() never shows them.
 * A live stream should subscribe() first and get() second, so no change falls in between.
 * Single Redis (or primary + replicas) only: scripts name keys not declared in KEYS.
 */
import type { Redis } from 'ioredis';
import { badInput } from '../errors.js';
import { decodeCursor, encodeCursor, resolveListLimit, resolveStatusFilter } from '../job-cursor.js';
import {
  DEFAULT_IDEMPOTENCY_TTL_SECONDS,
  DEFAULT_JOB_RETENTION_SECONDS,
  normalizeChange,
  requirePositiveSeconds,
} from '../job-store-input.js';
import { queuedRecord } from '../job-transition.js';
import { silentLogger, type Logger } from '../logger.js';
import type { IdempotencyClaim, Job, JobStore, NewJob } from '../ports/job-store.js';
import { createChannelListeners } from './redis-channel-listeners.js';
import { openRedis, type RedisConnectionOptions } from './redis-connection.js';
import { fromRedisError, redisCall, unavailable } from './redis-errors.js';
import { changeArgs, flatToHash, hashToJob, jobKeys, recordToFields } from './redis-job-codec.js';
import { createApplyBatcher, type ApplyReply, type ScriptArg } from './redis-apply-batcher.js';
import { APPLY_CHANGES } from './redis-apply-script.js';
import { CREATE_JOB, RECORD_NOTIFICATION } from './redis-job-scripts.js';
import { LIST_JOBS } from './redis-list-script.js';

export interface RedisJobStoreOptions extends RedisConnectionOptions {
  /** Prepended to every key and channel; tests use a unique one each. Default ''. */
  keyPrefix?: string;
  /** How long a job is kept after its last change, in s. Default 30 days (JOB_RETENTION_DAYS). */
  retentionSeconds?: number;
  /** Most index entries one list() call looks at while filtering. Default 500. */
  maxScanPerList?: number;
  /**
   * Most apply() calls sent as one script call (redis-apply-batcher.ts). Default 16: with the
   * status service's 64 events in flight, four batches overlap, so Node prepares one while
   * Redis runs another (one batch of 64 left each side idle half the time: 14k against 19k
   * events/s in the status bench).
   */
  maxApplyBatch?: number;
  logger?: Logger;
  /** ms since the epoch; for the createdAt of a job created without one. Default Date.now. */
  clock?: () => number;
}

interface JobScripts {
  apCreateJob(...args: ScriptArg[]): Promise<[number, string[]]>;
  /** numberOfKeys, the keys, then ARGV. */
  apApplyChanges(...args: ScriptArg[]): Promise<ApplyReply[]>;
  apListJobs(...args: ScriptArg[]): Promise<[string, string, ...string[][]]>;
  apRecordNotification(...args: ScriptArg[]): Promise<string[]>;
  apCountAttempt(...args: ScriptArg[]): Promise<number | null>;
}

/**
 * countAttempt(): HINCRBY on the job hash's `deliveries` field, only when the hash exists
 * (HINCRBY alone would create one). apply() writes only the fields it changes, so the count
 * survives every change; hashToJob ignores the field.
 */
const COUNT_ATTEMPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
`;

/** How long ping() waits for PONG, in ms: readiness must answer even with Redis down. */
const PING_TIMEOUT_MS = 2_000;

export function createRedisJobStore(options: RedisJobStoreOptions): JobStore {
  const {
    keyPrefix = '',
    retentionSeconds = DEFAULT_JOB_RETENTION_SECONDS,
    maxScanPerList = 500,
    maxApplyBatch = 16,
    logger = silentLogger(),
    clock = Date.now,
  } = options;
  requirePositiveSeconds(retentionSeconds, 'retentionSeconds');
  if (!Number.isSafeInteger(maxScanPerList) || maxScanPerList < 1) throw badInput('maxScanPerList must be >= 1');
  if (!Number.isSafeInteger(maxApplyBatch) || maxApplyBatch < 1) throw badInput('maxApplyBatch must be >= 1');
  const connection = openRedis(options, logger);
  const redis: Redis = connection.redis;
  redis.defineCommand('apCreateJob', { numberOfKeys: 4, lua: CREATE_JOB });
  redis.defineCommand('apApplyChanges', { lua: APPLY_CHANGES });
  redis.defineCommand('apListJobs', { numberOfKeys: 1, lua: LIST_JOBS });
  redis.defineCommand('apRecordNotification', { numberOfKeys: 1, lua: RECORD_NOTIFICATION });
  redis.defineCommand('apCountAttempt', { numberOfKeys: 1, lua: COUNT_ATTEMPT });
  const scripts = redis as unknown as JobScripts;
  const keys = jobKeys(keyPrefix);
  const listeners = createChannelListeners(() => connection.duplicate(), logger);
  const now = (): string => new Date(clock()).toISOString();
  const batcher = createApplyBatcher({
    run: (batchKeys, argv) => scripts.apApplyChanges(batchKeys.length, ...batchKeys, ...argv),
    retentionSeconds,
    maxBatch: maxApplyBatch,
  });

  return {
    async create(newJob: NewJob, claim?: IdempotencyClaim & { owner: string }) {
      const record = queuedRecord(newJob, now());
      const ttl = claim?.ttlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS;
      requirePositiveSeconds(ttl, 'claim.ttlSeconds');
      const job = record.job;
      try {
        const [created, flat] = await scripts.apCreateJob(
          claim ? keys.idempotency(claim.owner, claim.key) : keys.job(job.id),
          keys.job(job.id),
          keys.ownerJobs(job.owner),
          keys.allJobs,
          claim ? '1' : '0',
          claim?.requestHash ?? '',
          ttl,
          job.id,
          Date.parse(job.createdAt),
          retentionSeconds,
          keys.jobPrefix,
          ...recordToFields(record),
        );
        return { job: hashToJob(flatToHash(flat)), created: created === 1 };
      } catch (err) {
        throw fromRedisError(err, claim?.key);
      }
    },

    async apply(jobId, change) {
      const normalized = normalizeChange(change);
      const reply = await batcher.apply(keys.job(jobId), [
        normalized.kind,
        normalized.attempt,
        normalized.at, // also updatedAt (see JobStore.apply)
        ...changeArgs(normalized),
      ]);
      if (reply.length === 0) return { applied: false };
      return { applied: reply[0] === 1, job: hashToJob(JSON.parse(reply[1]) as Record<string, string>) };
    },

    async recordNotification(jobId, notification) {
      const { url, status, attempts, at } = notification;
      const flat = await redisCall(() =>
        scripts.apRecordNotification(keys.job(jobId), JSON.stringify({ url, status, attempts, at }), url),
      );
      return flat.length === 0 ? undefined : hashToJob(flatToHash(flat));
    },

    async countAttempt(jobId) {
      const count = await redisCall(() => scripts.apCountAttempt(keys.job(jobId)));
      return count === null ? undefined : Number(count);
    },

    async get(jobId) {
      const hash = await redisCall(() => redis.hgetall(keys.job(jobId)));
      return Object.keys(hash).length === 0 ? undefined : hashToJob(hash);
    },

    async list(query) {
      const limit = resolveListLimit(query.limit);
      const status = resolveStatusFilter(query.status);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const [nextScore, nextId, ...pages] = await redisCall(() =>
        scripts.apListJobs(
          query.owner === undefined ? keys.allJobs : keys.ownerJobs(query.owner),
          keys.jobPrefix,
          after === undefined ? '' : String(after.createdAtMs),
          after?.id ?? '',
          limit,
          status ?? '',
          maxScanPerList,
        ),
      );
      const items: Job[] = pages.map((flat) => hashToJob(flatToHash(flat)));
      if (nextScore === '') return { items };
      return { items, nextCursor: encodeCursor({ createdAtMs: Number(nextScore), id: nextId }) };
    },

    async subscribe(jobId, listener) {
      return redisCall(() =>
        listeners.listen(keys.changes(jobId), (message) => {
          listener(hashToJob(JSON.parse(message) as Record<string, string>));
        }),
      );
    },

    async markSeen(marker, ttlSeconds) {
      requirePositiveSeconds(ttlSeconds, 'ttlSeconds');
      const reply = await redisCall(() => redis.set(keys.seen(marker), '1', 'EX', ttlSeconds, 'NX'));
      return reply === 'OK';
    },

    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(unavailable(`no PONG from Redis within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([redisCall(() => redis.ping()), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    async close() {
      await listeners.close();
      await connection.release();
    },
  };
}
