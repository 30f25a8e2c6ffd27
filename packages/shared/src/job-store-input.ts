/**
 * Checks and defaults for what callers hand the job stores (both adapters use these, so
 * they accept and refuse the same input): changes, times, TTLs.
 */
import { badInput } from './errors.js';
import type { JobChange } from './ports/job-store.js';

/** How long a job is kept after its last change: 30 days (JOB_RETENTION_DAYS), in s. */
export const DEFAULT_JOB_RETENTION_SECONDS = 30 * 86_400;
/** How long an Idempotency-Key is kept: 24 h (DESIGN §6), in s. */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 86_400;

/**
 * Validates a change and rewrites its times as `toISOString()` output, so that both stores
 * can order times by comparing strings (the Lua side has no date parser).
 */
export function normalizeChange(change: JobChange): JobChange {
  if (!Number.isSafeInteger(change.attempt) || change.attempt < 1) {
    throw badInput('change.attempt must be an integer >= 1', { attempt: change.attempt });
  }
  const at = normalizeTime(change.at, 'change.at');
  switch (change.kind) {
    case 'started':
    case 'failed':
      return { ...change, at };
    case 'progressed':
      for (const [field, value] of Object.entries(change.progress)) {
        if (!Number.isSafeInteger(value) || value < 0) {
          throw badInput(`change.progress.${field} must be a non-negative integer`, { [field]: value });
        }
      }
      return { ...change, at };
    case 'completed':
      return { ...change, at, expiresAt: normalizeTime(change.expiresAt, 'change.expiresAt') };
    default:
      throw badInput('unknown change kind', { kind: (change as { kind?: unknown }).kind });
  }
}

/** A TTL in whole seconds, at least 1 (Redis EX); INVALID_INPUT otherwise. */
export function requirePositiveSeconds(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw badInput(`${field} must be a whole number of seconds >= 1`, { [field]: value });
  }
  return value;
}

/** ISO 8601 in, `toISOString()` out; bad input for anything Date cannot read. */
export function normalizeTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badInput(`${field} is not an ISO 8601 time`, { [field]: value });
  return new Date(ms).toISOString();
}
