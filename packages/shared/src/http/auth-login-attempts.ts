/**
 * Failed logins per user name, so POST /v1/auth/token can refuse guessing: after
 * `maxFailures` failures within `windowSeconds` (default 5 per 60 s, a fixed window that
 * starts at the first failure) the name is blocked until the window ends. Redis keeps the
 * counts when there is one (adapters/redis-login-attempts.ts: shared by every replica);
 * this memory version serves local mode and unit tests.
 */
export interface LoginAttempts {
  /** Seconds until `username` may try again; 0 = not blocked. */
  blockedFor(username: string): Promise<number>;
  recordFailure(username: string): Promise<void>;
  /** A successful login clears the count. */
  reset(username: string): Promise<void>;
}

export interface LoginAttemptsOptions {
  /** Failures allowed per window. Default 5. */
  maxFailures?: number;
  /** Window length, in seconds. Default 60. */
  windowSeconds?: number;
  /** Default Date.now. */
  now?: () => number;
}

export const LOGIN_ATTEMPT_DEFAULTS = Object.freeze({ maxFailures: 5, windowSeconds: 60 });

export function createMemoryLoginAttempts({
  maxFailures = LOGIN_ATTEMPT_DEFAULTS.maxFailures,
  windowSeconds = LOGIN_ATTEMPT_DEFAULTS.windowSeconds,
  now = Date.now,
}: LoginAttemptsOptions = {}): LoginAttempts {
  const windows = new Map<string, { count: number; endsAt: number }>();
  const current = (name: string) => {
    const w = windows.get(name);
    if (w && w.endsAt <= now()) {
      windows.delete(name);
      return undefined;
    }
    return w;
  };
  return {
    async blockedFor(name) {
      const w = current(name);
      return w && w.count >= maxFailures ? Math.max(1, Math.ceil((w.endsAt - now()) / 1000)) : 0;
    },
    async recordFailure(name) {
      const w = current(name);
      if (w) w.count += 1;
      else windows.set(name, { count: 1, endsAt: now() + windowSeconds * 1000 });
    },
    async reset(name) {
      windows.delete(name);
    },
  };
}
