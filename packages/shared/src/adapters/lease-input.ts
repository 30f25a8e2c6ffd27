/** Input checks shared by both lease adapters, so they refuse the same things. */
import { badInput } from '../errors.js';

/** A name, a holder, and a TTL of whole ms >= 1 (Redis PX); INVALID_INPUT otherwise. */
export function requireLease(name: string, holder: string, ttlMs: number): void {
  if (typeof name !== 'string' || name.length === 0) throw badInput('lease name is required');
  if (typeof holder !== 'string' || holder.length === 0) throw badInput('lease holder is required');
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw badInput('lease ttlMs must be a whole number >= 1', { ttlMs });
}
