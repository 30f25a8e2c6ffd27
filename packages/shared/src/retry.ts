import { ErrorCode, PipelineError, isRetriable } from './errors.js';

/**
 * Backoff settings. The defaults are the table in docs/retry.md; change both together.
 */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. Default 200. */
  baseMs: number;
  /** Upper bound of any single delay, in ms. Default 30,000. */
  maxMs: number;
  /** Growth per attempt. Default 2. */
  factor: number;
  /** 'full' picks uniformly in [0, d]; 'equal' in [d/2, d]; 'none' uses d. Default 'full'. */
  jitter: 'full' | 'equal' | 'none';
}

export interface RetryOptions extends BackoffOptions {
  /** Total tries including the first. Default 5 (MAX_ATTEMPTS). */
  attempts: number;
  /** Give up once this much time has gone by, in ms, even with attempts left. Default 120,000. */
  budgetMs: number;
  /** Which errors are worth another try. Default: `isRetriable` (errors.ts). */
  shouldRetry: (err: unknown, attempt: number) => boolean;
  /** Called before each wait; for logs and metrics. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  baseMs: 200,
  maxMs: 30_000,
  factor: 2,
  jitter: 'full',
});

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({
  ...DEFAULT_BACKOFF,
  attempts: 5,
  budgetMs: 120_000,
  shouldRetry: (err: unknown) => isRetriable(err),
});

/**
 * The wait before retry number `attempt` (1 = the wait after the first failure).
 * Pure: the random source is a parameter so tests can pin it.
 */
export function computeDelay(
  attempt: number,
  options: Partial<BackoffOptions> = {},
  random: () => number = Math.random,
): number {
  const { baseMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(maxMs, baseMs * Math.pow(factor, n - 1));
  switch (jitter) {
    case 'none':
      return Math.round(ceiling);
    case 'equal':
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    case 'full':
    default:
      return Math.round(random() * ceiling);
  }
}

/** Resolves after `ms`, or rejects with ABORTED as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortedError(signal: AbortSignal | undefined): PipelineError {
  return new PipelineError('operation aborted', {
    code: ErrorCode.ABORTED,
    retriable: true,
    cause: signal?.reason,
  });
}

/**
 * Runs `fn` until it succeeds, the error is not worth retrying, the attempts run out,
 * the time budget is spent, or `signal` aborts. The last error is rethrown as it was.
 */
export async function retry<T>(
  fn: (attempt: number, signal?: AbortSignal) => Promise<T>,
  options: Partial<RetryOptions> = {},
  signal?: AbortSignal,
): Promise<T> {
  const opts: RetryOptions = { ...DEFAULT_RETRY, ...options };
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError(signal);
    try {
      return await fn(attempt, signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      const last = attempt >= opts.attempts || !opts.shouldRetry(err, attempt);
      if (last) throw err;
      const delay = computeDelay(attempt, opts);
      if (Date.now() - started + delay > opts.budgetMs) throw err;
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay, signal);
    }
  }
}
