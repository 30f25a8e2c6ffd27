/**
 * Holds the lease `job:<id>` while a job is built, so two workers never build one job at
 * once. Acquire waits while another holder has it — polling every third of the
 * TTL, at most `waitMs` — because the usual holder is a crashed worker whose lease lapses
 * within one TTL; a live holder that keeps renewing makes this throw LEASE_HELD (retriable),
 * and the message comes back later. Once held, the lease is renewed every third of the TTL;
 * when a renewal is refused, or none succeeds for a whole TTL (Redis unreachable), the lease
 * counts as lost and `signal` fires so the build stops before another worker takes over.
 */
import { ErrorCode, PipelineError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Leases } from '../ports/lease.js';
import { sleep } from '../retry.js';

export const LEASE_HELD = 'LEASE_HELD';
export const LEASE_LOST = 'LEASE_LOST';

export interface HeldLease {
  /** Fires with a LEASE_LOST error when the lease could not be kept. */
  readonly signal: AbortSignal;
  /** Stops renewing and gives the lease up; never throws. */
  release(): Promise<void>;
}

export interface HoldLeaseOptions {
  leases: Leases;
  name: string;
  holder: string;
  ttlMs: number;
  waitMs: number;
  /** Checked while waiting: true when the work is no longer needed (the job is done). */
  isSettled: () => Promise<boolean>;
  /** Stops the waiting (shutdown). */
  signal: AbortSignal;
  logger: Logger;
  clock?: () => number;
}

/** The lease, or 'settled' when the job finished elsewhere while we waited for it. */
export async function holdLease(options: HoldLeaseOptions): Promise<HeldLease | 'settled'> {
  const { leases, name, holder, ttlMs, waitMs, signal, logger, clock = Date.now } = options;
  const third = Math.max(10, Math.floor(ttlMs / 3));
  const started = clock();
  while (!(await leases.acquire(name, holder, ttlMs))) {
    if (await options.isSettled()) return 'settled';
    if (clock() - started >= waitMs) {
      throw new PipelineError(`another worker holds ${name}; giving the message back for later`, {
        code: LEASE_HELD,
        retriable: true,
        context: { lease: name, waitedMs: clock() - started },
      });
    }
    await sleep(Math.min(third, 1_000), signal);
  }

  const lost = new AbortController();
  let lastRenewed = clock();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loseLease = (why: string): void => {
    logger.warn({ lease: name, why }, 'job lease lost; stopping the build');
    lost.abort(new PipelineError(`lease ${name} lost: ${why}`, { code: LEASE_LOST, retriable: true, context: { lease: name } }));
  };
  const renewLater = (): void => {
    timer = setTimeout(() => void renew(), third);
  };
  const renew = async (): Promise<void> => {
    if (stopped) return;
    try {
      if (await leases.renew(name, holder, ttlMs)) lastRenewed = clock();
      else return loseLease('another holder has it, or it lapsed');
    } catch (err) {
      logger.warn({ err, lease: name }, 'could not renew the job lease; trying again');
      if (clock() - lastRenewed >= ttlMs) return loseLease('no renewal succeeded for a whole TTL');
    }
    if (!stopped) renewLater();
  };
  renewLater();

  return {
    signal: lost.signal,
    async release() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      if (lost.signal.aborted) return;
      await leases.release(name, holder).catch((err: unknown) => {
        // It lapses by itself within one TTL.
        logger.warn({ err, lease: name }, 'could not release the job lease');
      });
    },
  };
}

/** The error a build sees when it stopped for the lease or for shutdown (not a job failure). */
export function isStopError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === LEASE_LOST || code === ErrorCode.ABORTED;
}
