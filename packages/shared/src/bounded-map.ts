/**
 * A Map that keeps at most `capacity` keys, forgetting the oldest inserted first. The order
 * is kept in a ring of keys rather than by deleting the Map's first entry through
 * `keys().next()`: that walks over every entry deleted before it, which made such caches the
 * costliest step of a burst. Setting a key already held updates it in place (its age stays).
 */
export interface BoundedMap<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  set(key: K, value: V): void;
  delete(key: K): void;
  readonly size: number;
}

export function createBoundedMap<K, V>(capacity: number): BoundedMap<K, V> {
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a whole number >= 1');
  const entries = new Map<K, V>();
  const ring = new Array<K | undefined>(capacity);
  let next = 0;
  return {
    get: (key) => entries.get(key),
    has: (key) => entries.has(key),
    set(key, value) {
      if (!entries.has(key)) {
        const oldest = ring[next];
        if (oldest !== undefined) entries.delete(oldest);
        ring[next] = key;
        next = (next + 1) % capacity;
      }
      entries.set(key, value);
    },
    // Its ring slot stays; reusing that slot later deletes nothing (or a newer entry early, if
    // the key came back, which only shortens that entry's stay).
    delete: (key) => void entries.delete(key),
    get size() {
      return entries.size;
    },
  };
}
