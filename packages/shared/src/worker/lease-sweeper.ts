/**
 * A job never stays `processing` without a live lease. A worker that dies leaves its job
 * `processing` until the bus redelivers the command; when no redelivery comes (the message
 * went to the dead-letter queue by SQS's own redrive, a Kafka offset was committed, the
 * command was lost), nothing else would ever move the job. Each job worker service runs
 * this sweeper: every `intervalMs` it walks a bounded part of the `processing` jobs of its
 * type and, for a job unchanged for longer than `afterMs` (the redelivery window) whose
 * lease it can take (so no worker holds it), decides (decideSweep):
 *
 * - retry — attempts remain and the job was not swept before: a job.failed, not final,
 *   LEASE_EXPIRED; the job stays `processing` and shows the error until the redelivery's
 *   job.started moves it on.
 * - fail — the attempts are used up (ATTEMPTS_EXHAUSTED), or it was swept once already and
 *   no redelivery came within another window (LEASE_EXPIRED): a final job.failed.
 *
 * Each decision is logged (warn) with the job id, attempt and outcome. Two replicas sweeping
 * at once act once: the lease is taken before the event is sent, and a repeated event of the
 * same attempt and phase does not apply.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../errors.js';
import type { JobFailed } from '../events/payloads.js';
import type { Logger } from '../logger.js';
import type { Job, JobStore, JobType } from '../ports/job-store.js';
import type { Leases } from '../ports/lease.js';

/** Default redelivery window: 120 s, above SQS's 30 s visibility timeout + the 30 s backoff cap + the 15 s lease TTL. */
export const DEFAULT_SWEEP_AFTER_MS = 120_000;
/** Jobs looked at per sweep at most: list pages of 100, so one sweep is bounded work. */
const PAGES_PER_SWEEP = 10;

export type SweepDecision =
  | { action: 'keep' }
  | { action: 'retry' | 'fail'; code: string; message: string };

export interface SweepFacts {
  nowMs: number;
  /** The redelivery window, ms. */
  afterMs: number;
  maxAttempts: number;
}

/** What to do with one job nobody holds the lease of (the caller checked the lease). */
export function decideSweep(job: Job, { nowMs, afterMs, maxAttempts }: SweepFacts): SweepDecision {
  if (job.status !== 'processing') return { action: 'keep' };
  const quietMs = nowMs - Date.parse(job.updatedAt);
  if (!(quietMs >= afterMs)) return { action: 'keep' };
  const quiet = `no worker has held the job's lease and nothing was reported for ${Math.round(quietMs / 1000)} s`;
  if (job.attempt >= maxAttempts) {
    return { action: 'fail', code: ErrorCode.ATTEMPTS_EXHAUSTED, message: `${quiet}; attempt ${job.attempt} of MAX_ATTEMPTS (${maxAttempts}) was the last` };
  }
  if (job.error?.code === ErrorCode.LEASE_EXPIRED) {
    return { action: 'fail', code: ErrorCode.LEASE_EXPIRED, message: `${quiet}; no redelivery came after attempt ${job.attempt} was given up on` };
  }
  return { action: 'retry', code: ErrorCode.LEASE_EXPIRED, message: `${quiet}; attempt ${job.attempt} is given up on and the command's redelivery retries it` };
}

export interface LeaseSweeperOptions {
  jobs: JobStore;
  leases: Leases;
  jobType: JobType;
  leaseName: (jobId: string) => string;
  afterMs?: number;
  /** Default: a quarter of afterMs, at most 30 s. */
  intervalMs?: number;
  maxAttempts: number;
  emitFailed(data: JobFailed): Promise<void>;
  logger: Logger;
  clock?: () => number;
}

export interface LeaseSweeper {
  /** One sweep; resolves to the jobs acted on. */
  sweep(): Promise<Array<{ jobId: string; action: 'retry' | 'fail' }>>;
  stop(): Promise<void>;
}

export function startLeaseSweeper(options: LeaseSweeperOptions): LeaseSweeper {
  const { jobs, leases, jobType, maxAttempts, logger, clock = Date.now } = options;
  const afterMs = options.afterMs ?? DEFAULT_SWEEP_AFTER_MS;
  const intervalMs = options.intervalMs ?? Math.min(30_000, Math.max(1_000, Math.floor(afterMs / 4)));
  const holder = `lease-sweeper:${randomUUID()}`;
  // Carried across sweeps: each walks on from where the last stopped, so all are reached.
  let cursor: string | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const act = async (job: Job): Promise<{ jobId: string; action: 'retry' | 'fail' } | undefined> => {
    if (decideSweep(job, { nowMs: clock(), afterMs, maxAttempts }).action === 'keep') return undefined;
    const name = options.leaseName(job.id);
    if (!(await leases.acquire(name, holder, 10_000))) return undefined; // a live worker has it
    try {
      const current = await jobs.get(job.id); // read again under the lease
      if (current === undefined) return undefined;
      const decision = decideSweep(current, { nowMs: clock(), afterMs, maxAttempts });
      if (decision.action === 'keep') return undefined;
      await options.emitFailed({
        jobId: current.id,
        error: { code: decision.code, message: decision.message, retriable: decision.action === 'retry' },
        attempt: Math.max(1, current.attempt),
        final: decision.action === 'fail',
      });
      logger.warn(
        { jobId: current.id, attempt: current.attempt, outcome: decision.action, code: decision.code },
        decision.action === 'retry' ? 'job without a live lease: attempt given up on, left to the redelivery' : 'job without a live lease: failed for good',
      );
      return { jobId: current.id, action: decision.action };
    } finally {
      await leases.release(name, holder).catch(() => undefined);
    }
  };

  const sweep = async (): Promise<Array<{ jobId: string; action: 'retry' | 'fail' }>> => {
    const acted: Array<{ jobId: string; action: 'retry' | 'fail' }> = [];
    for (let page = 0; page < PAGES_PER_SWEEP && !stopped; page++) {
      const found = await jobs.list({ status: 'processing', limit: 100, ...(cursor === undefined ? {} : { cursor }) });
      cursor = found.nextCursor;
      for (const job of found.items) {
        if (job.type !== jobType) continue;
        const done = await act(job).catch((err: unknown) => {
          logger.warn({ err, jobId: job.id }, 'lease sweep of a job failed; trying again next sweep');
          return undefined;
        });
        if (done) acted.push(done);
      }
      if (cursor === undefined) break; // walked to the end: the next sweep starts over
    }
    return acted;
  };

  const timer = setInterval(() => {
    running = running.then(sweep).catch((err: unknown) => logger.warn({ err }, 'lease sweep failed; trying again next interval'));
  }, intervalMs);
  timer.unref();

  return {
    sweep: () => {
      const next = running.then(sweep);
      running = next.catch(() => undefined);
      return next;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
