/**
 * A bounded memory of event ids seen by this process, to tell a redelivered duplicate from
 * a stale event in the `ap_events_applied_total` outcome label. Only a label: correctness
 * comes from the store's ordering rules, never from this set.
 */
import { createBoundedMap } from '@artifact-pipeline/shared/bounded-map';

export interface RecentIds {
  /** Records `id`; true when it was already there. */
  seen(id: string): boolean;
}

export function createRecentIds(capacity: number): RecentIds {
  const ids = createBoundedMap<string, true>(capacity);
  return {
    seen(id) {
      if (ids.has(id)) return true;
      ids.set(id, true);
      return false;
    },
  };
}
