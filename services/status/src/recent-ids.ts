/**
 * A bounded memory of event ids seen by this process, to tell a redelivered duplicate from
 * a stale event in the `ap_events_applied_total` outcome label. Only a label: correctness
 * comes from the store's ordering rules, never from this set.
 *
 * The oldest id is forgotten through a ring of the last `capacity` ids: deleting a Set's
 * first entry via `values().next()` walks over every entry deleted before it, which made
 * this the projector's most expensive step in a burst.
 */
export interface RecentIds {
  /** Records `id`; true when it was already there. */
  seen(id: string): boolean;
}

export function createRecentIds(capacity: number): RecentIds {
  const ids = new Set<string>();
  const ring: (string | undefined)[] = new Array<string | undefined>(capacity);
  let next = 0;
  return {
    seen(id) {
      if (ids.has(id)) return true;
      const oldest = ring[next];
      if (oldest !== undefined) ids.delete(oldest);
      ring[next] = id;
      next = (next + 1) % capacity;
      ids.add(id);
      return false;
    },
  };
}
