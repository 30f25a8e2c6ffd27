/**
 * Throttles job.progressed: at most one event per interval (default 1 s), and
 * the latest value is never lost — it goes out when the interval has passed, or at the
 * latest from `flush()` before the job's final event. Events go out one at a time, in
 * order; a failed progress publish is logged and dropped (progress is advisory, and the
 * next report carries a newer value anyway).
 */
import type { Logger } from '../logger.js';
import type { BuildProgress } from './job-worker-types.js';

export interface ProgressReporter {
  report(progress: BuildProgress): void;
  /** Sends what is pending now and waits for every send; no event goes out afterwards. */
  flush(): Promise<void>;
  /** Drops what is pending and waits for a send in flight; no event goes out afterwards. */
  close(): Promise<void>;
}

export interface ProgressReporterOptions {
  send(progress: BuildProgress): Promise<void>;
  intervalMs?: number;
  logger: Logger;
  clock?: () => number;
}

export function createProgressReporter({ send, intervalMs = 1_000, logger, clock = Date.now }: ProgressReporterOptions): ProgressReporter {
  let pending: BuildProgress | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const sendPending = (): void => {
    timer = undefined;
    if (pending === undefined || closed) return;
    const progress = pending;
    pending = undefined;
    lastSentAt = clock();
    chain = chain.then(() =>
      send(progress).catch((err: unknown) => logger.warn({ err }, 'could not publish job.progressed; dropped')),
    );
  };

  return {
    report(progress) {
      if (closed) return;
      pending = { ...progress };
      if (timer !== undefined) return;
      const wait = lastSentAt + intervalMs - clock();
      if (wait <= 0) sendPending();
      else timer = setTimeout(sendPending, wait).unref();
    },
    async flush() {
      if (timer !== undefined) clearTimeout(timer);
      sendPending();
      closed = true;
      await chain;
    },
    async close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      closed = true;
      await chain;
    },
  };
}
