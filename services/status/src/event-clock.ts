/**
 * The clock the read model stamps `updatedAt` with. While an event is projected it reads the
 * event's own `time`, so the record is a function of the events alone: the live projector
 * and a rebuild (rebuild.ts) write the same updatedAt. Outside a projection it is the wall
 * clock. AsyncLocalStorage keeps concurrent projections from seeing each other's time.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface EventClock {
  /** ms since the epoch; pass as the job store's `clock`. */
  now(): number;
  /** Runs `fn` with now() reading `atMs`. */
  at<T>(atMs: number, fn: () => Promise<T>): Promise<T>;
}

export function createEventClock(wall: () => number = Date.now): EventClock {
  const storage = new AsyncLocalStorage<number>();
  return {
    now: () => storage.getStore() ?? wall(),
    at: (atMs, fn) => storage.run(atMs, fn),
  };
}
