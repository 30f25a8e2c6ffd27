/**
 * Graceful shutdown (DESIGN §4 "SIGTERM"): on the first signal, run the registered hooks
 * in reverse order of registration (last started, first stopped: stop taking HTTP requests
 * before closing the bus, the bus before Redis), each with the time that is left of the
 * grace period, then exit 0, or 1 if a hook threw or the grace period ran out. A second
 * signal exits at once with 1. Kubernetes sends SIGKILL after terminationGracePeriodSeconds
 * (default 30 s): keep `graceMs` below it.
 */
import type { Logger } from './logger.js';

/** A hook gets the milliseconds left of the grace period; it should be done by then. */
export type ShutdownHook = (remainingMs: number) => Promise<void>;

export interface ShutdownOptions {
  logger: Logger;
  /** The whole budget for every hook together, in ms. */
  graceMs: number;
  /** Signals that start the shutdown. Default SIGTERM (Kubernetes) and SIGINT (Ctrl-C). */
  signals?: readonly NodeJS.Signals[];
  /** How the process ends. Default process.exit; tests inject their own. */
  exit?: (code: number) => void;
  /** Where signals come from. Default `process`; tests may pass any EventEmitter. */
  source?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

export interface Shutdown {
  /** Registers a hook; hooks run in reverse order of registration. */
  add(name: string, fn: ShutdownHook): void;
  /** Starts the shutdown as a signal would; later calls return the same promise. */
  trigger(reason: string): Promise<void>;
  /** Stops listening for the signals (tests; a process that exits needs not). */
  dispose(): void;
}

export function onShutdown({
  logger,
  graceMs,
  signals = ['SIGTERM', 'SIGINT'],
  exit = (code: number) => process.exit(code),
  source = process,
}: ShutdownOptions): Shutdown {
  const hooks: Array<{ name: string; fn: ShutdownHook }> = [];
  let running: Promise<void> | undefined;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (running !== undefined) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    void trigger(signal);
  };
  for (const signal of signals) source.on(signal, onSignal);

  function trigger(reason: string): Promise<void> {
    running ??= runHooks(reason)
      .catch(() => 1)
      .then((code) => exit(code));
    return running;
  }

  async function runHooks(reason: string): Promise<number> {
    const deadline = Date.now() + graceMs;
    logger.info({ reason, graceMs, hooks: hooks.map((h) => h.name).reverse() }, 'shutting down');
    let code = 0;
    for (const { name, fn } of [...hooks].reverse()) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) {
        logger.error({ hook: name }, 'grace period over before this hook could run');
        return 1;
      }
      const started = Date.now();
      const outcome = await withinMs(Promise.resolve().then(() => fn(remainingMs)), remainingMs);
      const tookMs = Date.now() - started;
      if (outcome.kind === 'done') {
        logger.info({ hook: name, tookMs }, 'shutdown hook done');
      } else if (outcome.kind === 'failed') {
        logger.error({ hook: name, tookMs, err: outcome.error }, 'shutdown hook failed');
        code = 1;
      } else {
        logger.error({ hook: name, tookMs }, 'shutdown hook still running when the grace period ended');
        return 1;
      }
    }
    logger.info({ code }, 'shutdown complete');
    return code;
  }

  return {
    add(name, fn) {
      hooks.push({ name, fn });
    },
    trigger,
    dispose() {
      for (const signal of signals) source.off(signal, onSignal);
    },
  };
}

type Outcome = { kind: 'done' } | { kind: 'failed'; error: unknown } | { kind: 'timed-out' };

async function withinMs(work: Promise<void>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out' }), ms);
  });
  try {
    return await Promise.race([
      work.then((): Outcome => ({ kind: 'done' }), (error: unknown): Outcome => ({ kind: 'failed', error })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
