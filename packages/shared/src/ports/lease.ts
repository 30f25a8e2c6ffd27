/**
 * Exclusive, expiring ownership of a named piece of work (a job being built), so two
 * workers never build the same job at once. The holder renews before `ttlMs` runs out;
 * a crashed holder's lease expires by itself.
 */
export interface Leases {
  /** True when `holder` now owns `name` (also when it already did). */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** True when `holder` still owned `name` and the lease was extended. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` owns it. */
  release(name: string, holder: string): Promise<void>;
}
