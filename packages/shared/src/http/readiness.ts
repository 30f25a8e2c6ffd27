/**
 * Readiness: every dependency check runs at once, each under its own timeout, and the
 * result says which one failed. GET /readyz (health-routes.ts) serves it.
 */
import { performance } from 'node:perf_hooks';

export interface ReadinessCheck {
  /** What is checked, in the report: `redis`, `kafka`, `s3`, `sqs`. */
  name: string;
  /** Resolves when the dependency answers. The signal aborts when the timeout passes. */
  check: (signal: AbortSignal) => Promise<void>;
  /** Per-check timeout in ms; default the one given to checkReadiness. */
  timeoutMs?: number;
}

export interface CheckResult {
  status: 'ok' | 'failed';
  durationMs: number;
  /** Why it failed: the error's message, or the timeout. */
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/** Default time a check gets, in ms: kubelet's probe timeout defaults to 1 s per probe, raise it to a few. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

export async function checkReadiness(
  checks: readonly ReadinessCheck[],
  { timeoutMs = DEFAULT_CHECK_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((c) => runCheck(c, c.timeoutMs ?? timeoutMs)));
  const report: ReadinessReport = { ready: true, checks: {} };
  checks.forEach((c, i) => {
    const result = results[i]!;
    report.checks[c.name] = result;
    if (result.status === 'failed') report.ready = false;
  });
  return report;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`no answer within ${timeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    // Promise.resolve().then: a check that throws synchronously is a failed check too.
    await Promise.race([Promise.resolve().then(() => check.check(controller.signal)), timeout]);
    return { status: 'ok', durationMs: elapsed(started) };
  } catch (err) {
    return { status: 'failed', durationMs: elapsed(started), error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
