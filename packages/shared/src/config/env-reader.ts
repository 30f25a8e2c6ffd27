/**
 * Typed reads of environment variables that never throw: each read returns a value (or
 * the default) and records a problem line `NAME: what is wrong (got "…")` instead, so
 * loadConfig can report every problem at once (STYLE "Config").
 *
 * An empty string counts as unset (a `FOO=` line in a manifest means "not given"), except
 * where a reader is asked to keep it.
 */
export type Env = NodeJS.ProcessEnv | Record<string, string | undefined>;

export interface EnvReader {
  /** The raw value; undefined when unset or empty (unless keepEmpty). */
  raw(name: string, keepEmpty?: boolean): string | undefined;
  string(name: string, options?: { default?: string; pattern?: RegExp; rule?: string; secret?: boolean }): string | undefined;
  integer(name: string, options: { default: number; min: number; max: number }): number;
  boolean(name: string, fallback: boolean): boolean;
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  url(name: string, protocols: readonly string[]): string | undefined;
  list(name: string, item?: { pattern: RegExp; rule: string }): string[];
  problem(name: string, message: string, shown?: string): void;
  problems: string[];
}

const MAX_SHOWN = 80;

/** How a value appears in a problem line; secrets only by length. */
export function showValue(value: string, secret = false): string {
  if (secret) return `${value.length} characters`;
  const text = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 1)}…` : value;
  return JSON.stringify(text);
}

export function createEnvReader(env: Env): EnvReader {
  const problems: string[] = [];

  const problem = (name: string, message: string, shown?: string): void => {
    problems.push(shown === undefined ? `${name}: ${message}` : `${name}: ${message} (got ${shown})`);
  };

  const raw = (name: string, keepEmpty = false): string | undefined => {
    const value = env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' && !keepEmpty ? undefined : trimmed;
  };

  return {
    problems,
    problem,
    raw,
    string(name, options = {}) {
      const value = raw(name);
      if (value === undefined) return options.default;
      if (options.pattern && !options.pattern.test(value)) {
        problem(name, options.rule ?? `does not match ${options.pattern}`, showValue(value, options.secret));
        return options.default;
      }
      return value;
    },
    integer(name, { default: fallback, min, max }) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(number) || number < min || number > max) {
        problem(name, `expected a whole number from ${min} to ${max}`, showValue(value));
        return fallback;
      }
      return number;
    },
    boolean(name, fallback) {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      problem(name, 'expected true or false', showValue(value));
      return fallback;
    },
    oneOf(name, allowed, fallback) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const match = allowed.find((option) => option === value.toLowerCase());
      if (match === undefined) problem(name, `expected one of ${allowed.join(', ')}`, showValue(value));
      return match ?? fallback;
    },
    url(name, protocols) {
      const value = raw(name);
      if (value === undefined) return undefined;
      try {
        const url = new URL(value);
        if (protocols.includes(url.protocol.replace(/:$/, ''))) return value;
      } catch {
        // reported below
      }
      problem(name, `expected a ${protocols.join(' or ')} URL`, showValue(value));
      return undefined;
    },
    list(name, item) {
      const value = raw(name);
      if (value === undefined) return [];
      const items = value.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = item ? items.filter((entry) => !item.pattern.test(entry)) : [];
      if (item && bad.length > 0) {
        problem(name, `${item.rule}: ${bad.map((b) => showValue(b)).join(', ')}`, showValue(value));
        return items.filter((entry) => item.pattern.test(entry));
      }
      return items;
    },
  };
}
