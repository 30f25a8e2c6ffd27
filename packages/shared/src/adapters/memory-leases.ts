/**
 * Leases in process, for unit tests and the all-in-one mode: the same rules as the Redis
 * leases (redis-leases.ts) on an injected clock.
 */
import type { Leases } from '../ports/lease.js';
import { requireLease } from './lease-input.js';

export interface MemoryLeasesOptions {
  /** ms since the epoch. Default Date.now; tests move time to let leases lapse. */
  clock?: () => number;
}

export function createMemoryLeases({ clock = Date.now }: MemoryLeasesOptions = {}): Leases {
  const leases = new Map<string, { holder: string; untilMs: number }>();
  const holderOf = (name: string): string | undefined => {
    const lease = leases.get(name);
    if (lease === undefined) return undefined;
    if (lease.untilMs <= clock()) {
      leases.delete(name);
      return undefined;
    }
    return lease.holder;
  };

  return {
    async acquire(name, holder, ttlMs) {
      requireLease(name, holder, ttlMs);
      const current = holderOf(name);
      if (current !== undefined && current !== holder) return false;
      leases.set(name, { holder, untilMs: clock() + ttlMs });
      return true;
    },
    async renew(name, holder, ttlMs) {
      requireLease(name, holder, ttlMs);
      if (holderOf(name) !== holder) return false;
      leases.set(name, { holder, untilMs: clock() + ttlMs });
      return true;
    },
    async release(name, holder) {
      requireLease(name, holder, 1);
      if (holderOf(name) === holder) leases.delete(name);
    },
  };
}
