/**
 * The job read model in process: unit tests and the all-in-one mode (DESIGN §9). Behaves as
 * the Redis store does — the same transition rules (job-transition.ts), the same listing
 * order, cursor and filter paging, idempotency claims and retention — on an injected clock.
 * Values go in and out as JSON copies, so callers never share state with the store.
 */
import { EventEmitter } from 'node:events';
import { ErrorCode, PipelineError, badInput } from '../errors.js';
import {
  compareNewestFirst,
  decodeCursor,
  encodeCursor,
  resolveListLimit,
  resolveStatusFilter,
  type ListPosition,
} from '../job-cursor.js';
import {
  DEFAULT_IDEMPOTENCY_TTL_SECONDS,
  DEFAULT_JOB_RETENTION_SECONDS,
  normalizeChange,
  requirePositiveSeconds,
} from '../job-store-input.js';
import { applyChange, queuedRecord, type JobRecord } from '../job-transition.js';
import type { Job, JobStore } from '../ports/job-store.js';

export interface MemoryJobStoreOptions {
  /** ms since the epoch. Default Date.now; tests move time for retention. */
  clock?: () => number;
  /** How long a job is kept after its last change, in s. Default 30 days. */
  retentionSeconds?: number;
  /** Most entries one list() call looks at while filtering, as in Redis. Default 500. */
  maxScanPerList?: number;
}

interface Stored {
  record: JobRecord;
  expiresAtMs: number;
  /** countAttempt(): deliveries so far. */
  attempts?: number;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function createMemoryJobStore(options: MemoryJobStoreOptions = {}): JobStore {
  const { clock = Date.now, retentionSeconds = DEFAULT_JOB_RETENTION_SECONDS, maxScanPerList = 500 } = options;
  requirePositiveSeconds(retentionSeconds, 'retentionSeconds');
  if (!Number.isSafeInteger(maxScanPerList) || maxScanPerList < 1) throw badInput('maxScanPerList must be >= 1');
  const jobs = new Map<string, Stored>();
  const claims = new Map<string, { jobId: string; requestHash: string; expiresAtMs: number }>();
  const seen = new Map<string, number>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const now = (): string => new Date(clock()).toISOString();
  const keepUntil = (): number => clock() + retentionSeconds * 1000;

  // Expired claims and markers are dropped now and then, so a long-lived process stays small.
  let writes = 0;
  const sweep = (): void => {
    if (++writes % 1000 !== 0) return;
    const t = clock();
    for (const [key, held] of claims) if (held.expiresAtMs <= t) claims.delete(key);
    for (const [marker, until] of seen) if (until <= t) seen.delete(marker);
    for (const id of [...jobs.keys()]) live(id);
  };

  const live = (jobId: string): Stored | undefined => {
    const stored = jobs.get(jobId);
    if (stored !== undefined && stored.expiresAtMs <= clock()) {
      jobs.delete(jobId);
      return undefined;
    }
    return stored;
  };

  return {
    async create(newJob, claim) {
      const record = queuedRecord(newJob, now());
      const ttl = requirePositiveSeconds(claim?.ttlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS, 'claim.ttlSeconds');
      sweep();
      const claimKey = claim === undefined ? undefined : `${claim.owner}\u0000${claim.key}`;
      if (claim !== undefined && claimKey !== undefined) {
        const held = claims.get(claimKey);
        const prior = held !== undefined && held.expiresAtMs > clock() ? live(held.jobId) : undefined;
        if (held !== undefined && prior !== undefined) {
          if (held.requestHash !== claim.requestHash) {
            throw new PipelineError('the idempotency key was used with another request', {
              code: ErrorCode.IDEMPOTENCY_MISMATCH,
              retriable: false,
              context: { jobId: held.jobId, idempotencyKey: claim.key },
            });
          }
          return { job: copy(prior.record.job), created: false };
        }
      }
      const existing = live(record.job.id);
      if (existing === undefined) {
        record.job.input = copy(record.job.input);
        jobs.set(record.job.id, { record, expiresAtMs: keepUntil() });
      }
      if (claim !== undefined && claimKey !== undefined) {
        claims.set(claimKey, { jobId: record.job.id, requestHash: claim.requestHash, expiresAtMs: clock() + ttl * 1000 });
      }
      return { job: copy((existing ?? { record }).record.job), created: existing === undefined };
    },

    async apply(jobId, change) {
      const normalized = copy(normalizeChange(change));
      const stored = live(jobId);
      if (stored === undefined) return { applied: false };
      const next = applyChange(stored.record, normalized, normalized.at);
      if (next === undefined) return { applied: false, job: copy(stored.record.job) };
      jobs.set(jobId, { ...stored, record: next, expiresAtMs: keepUntil() });
      changes.emit(jobId, next.job);
      return { applied: true, job: copy(next.job) };
    },

    async countAttempt(jobId) {
      const stored = live(jobId);
      if (stored === undefined) return undefined;
      stored.attempts = (stored.attempts ?? 0) + 1;
      return stored.attempts;
    },

    async recordNotification(jobId, notification) {
      const stored = live(jobId);
      if (stored === undefined) return undefined;
      const entry = copy(notification);
      const job = stored.record.job;
      job.notifications = [...(job.notifications ?? []).filter((n) => n.url !== entry.url), entry];
      return copy(job);
    },

    async get(jobId) {
      const stored = live(jobId);
      return stored === undefined ? undefined : copy(stored.record.job);
    },

    async list(query) {
      const limit = resolveListLimit(query.limit);
      const status = resolveStatusFilter(query.status);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const entries: Array<ListPosition & { job: Job }> = [];
      for (const id of [...jobs.keys()]) {
        const job = live(id)?.record.job;
        if (job === undefined || (query.owner !== undefined && job.owner !== query.owner)) continue;
        const entry = { createdAtMs: Date.parse(job.createdAt), id, job };
        if (after === undefined || compareNewestFirst(entry, after) > 0) entries.push(entry);
      }
      entries.sort(compareNewestFirst);
      // Same paging as the Redis script: the cursor names the last entry looked at.
      const items: Job[] = [];
      let scanned = 0;
      let last: ListPosition | undefined;
      for (const entry of entries) {
        if (items.length >= limit || scanned >= maxScanPerList) {
          return { items, nextCursor: encodeCursor(last!) };
        }
        scanned++;
        last = { createdAtMs: entry.createdAtMs, id: entry.id };
        if (status === undefined || entry.job.status === status) items.push(copy(entry.job));
      }
      return { items };
    },

    async subscribe(jobId, listener) {
      const deliver = (job: Job): void => {
        try {
          listener(copy(job));
        } catch {
          // as on Redis: one listener's failure does not reach the writer or the others
        }
      };
      changes.on(jobId, deliver);
      return async () => {
        changes.off(jobId, deliver);
      };
    },

    async markSeen(marker, ttlSeconds) {
      requirePositiveSeconds(ttlSeconds, 'ttlSeconds');
      sweep();
      const until = seen.get(marker);
      if (until !== undefined && until > clock()) return false;
      seen.set(marker, clock() + ttlSeconds * 1000);
      return true;
    },

    async ping() {},

    async close() {
      changes.removeAllListeners();
    },
  };
}
