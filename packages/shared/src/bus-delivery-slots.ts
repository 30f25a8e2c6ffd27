/**
 * Bookkeeping every Bus consumer needs, whatever the transport: a limit on handlers
 * running at once (ConsumeOptions.concurrency), and the set of handlers in flight that
 * Subscription.stop(deadline) waits for, aborts, and gives back.
 */
import { ErrorCode, PipelineError } from './errors.js';

export interface Slots {
  readonly busy: number;
  readonly free: number;
  /** Takes a slot now; the caller checked `free > 0`. Returns the function that gives it back. */
  take(): () => void;
  /** Resolves once a slot is free, or at once when `signal` has fired. */
  whenFree(signal?: AbortSignal): Promise<void>;
}

export function createSlots(limit: number): Slots {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new PipelineError(`concurrency must be an integer >= 1 (got ${limit})`, {
      code: ErrorCode.INVALID_CONFIG,
      retriable: false,
    });
  }
  let busy = 0;
  let waiters: Array<() => void> = [];
  const wake = (): void => {
    const current = waiters;
    waiters = [];
    for (const w of current) w();
  };
  return {
    get busy() {
      return busy;
    },
    get free() {
      return limit - busy;
    },
    take() {
      if (busy >= limit) throw new Error('no free slot: check `free` before `take`');
      busy++;
      let given = false;
      return () => {
        if (given) return;
        given = true;
        busy--;
        wake();
      };
    },
    whenFree(signal) {
      if (busy < limit || signal?.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const done = (): void => {
          signal?.removeEventListener('abort', done);
          resolve();
        };
        waiters.push(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
  };
}

/** One handler in flight, as its own code sees it. */
export interface InFlightWork {
  /** Fires when stop()'s deadline has passed: the handler should give up. */
  readonly signal: AbortSignal;
  /** True once stop() gave the message back itself: the work must not touch it any more. */
  readonly givenBack: boolean;
}

export interface InFlight {
  readonly size: number;
  /**
   * Runs `work` as one tracked unit. `giveBack` releases its message when stop() stops
   * waiting for it (a handler that ignores its signal past the grace period).
   */
  run(work: (w: InFlightWork) => Promise<void>, giveBack: () => Promise<void>): Promise<void>;
  /**
   * Waits up to `deadlineMs` for all work to settle, then aborts the rest and waits up to
   * `graceMs` more (default 5,000 ms) for them to release their messages; whatever is
   * still running then is given back here, and stop returns.
   */
  drain(deadlineMs: number, graceMs?: number): Promise<void>;
}

interface Entry {
  controller: AbortController;
  givenBack: boolean;
  settled: Promise<void>;
  giveBack: () => Promise<void>;
}

export function createInFlight(): InFlight {
  const entries = new Set<Entry>();
  const settledWithin = async (ms: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
    await Promise.race([Promise.all([...entries].map((e) => e.settled)), timeout]);
    clearTimeout(timer);
  };
  return {
    get size() {
      return entries.size;
    },
    run(work, giveBack) {
      const entry: Entry = { controller: new AbortController(), givenBack: false, settled: Promise.resolve(), giveBack };
      const view: InFlightWork = {
        signal: entry.controller.signal,
        get givenBack() {
          return entry.givenBack;
        },
      };
      // Work never rejects into the consumer loop: adapters log inside `work`.
      entry.settled = work(view)
        .catch(() => {})
        .finally(() => entries.delete(entry));
      entries.add(entry);
      return entry.settled;
    },
    async drain(deadlineMs, graceMs = 5_000) {
      if (entries.size > 0) await settledWithin(deadlineMs);
      if (entries.size === 0) return;
      const reason = new PipelineError(`consumer stopping: the ${deadlineMs} ms deadline passed`, {
        code: ErrorCode.ABORTED,
        retriable: true,
      });
      for (const e of entries) e.controller.abort(reason);
      await settledWithin(graceMs);
      const stuck = [...entries].filter((e) => !e.givenBack);
      for (const e of stuck) e.givenBack = true;
      await Promise.all(stuck.map((e) => e.giveBack().catch(() => {})));
    },
  };
}
