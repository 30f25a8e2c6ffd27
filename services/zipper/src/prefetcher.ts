/**
 * Reads the archive's objects in order while the GETs for the next ones are already under
 * way ("Prefetch"), so small objects do not each pay a round trip to S3.
 *
 * How "bytes in flight" is bounded (default 64 MiB, and at most 8 objects ahead): bytes in
 * flight = what is left to read of the object being written + the full sizes of the
 * objects whose GET has started but whose turn has not come. A GET starts only while that
 * sum, with the new object, stays within the budget — or, for an object bigger than the
 * whole budget, when it is the only one ahead and the current object has less than the
 * budget left. Nothing is read ahead into our own buffers: a started GET's body is a paused
 * stream, so the process holds at most its high-water mark (16 KiB) plus one socket read
 * (≤ 64 KiB) per object ahead — ≤ 8 × 80 KiB — and the rest waits in the kernel's socket
 * buffer and on the server. The budget also bounds how long a started GET sits idle (the time
 * to write 64 MiB), since S3 drops connections that are idle for long.
 *
 * Archive order never changes. A GET that failed before its turn is sent again (with
 * retries) when its turn comes; an object that is gone by then is reported as missing.
 */
import type { Readable } from 'node:stream';
import { ErrorCode, isPipelineError, retry, type ObjectStore } from '@artifact-pipeline/shared';
import type { ArchiveEntry } from './archive-plan.js';

const MiB = 1024 * 1024;
export const DEFAULT_PREFETCH_BYTES = 64 * MiB;
export const DEFAULT_PREFETCH_OBJECTS = 8;

/** One entry's turn: its bytes (counted as they are read), or `missing` when it is gone. */
export type Fetched =
  | { entry: ArchiveEntry; missing: false; body: AsyncIterable<Uint8Array> }
  | { entry: ArchiveEntry; missing: true };

export interface PrefetchOptions {
  objects: ObjectStore;
  bucket: string;
  entries: readonly ArchiveEntry[];
  maxBytesAhead?: number;
  /** Objects whose GET may run ahead of the one being written; 0 = strictly one at a time. */
  maxObjectsAhead?: number;
  /** Called with each chunk's length as it is read. */
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
}

interface Started {
  entry: ArchiveEntry;
  body: Promise<Readable | 'missing'>;
}

const NO_BYTES: AsyncIterable<Uint8Array> = { async *[Symbol.asyncIterator]() {} };

export async function* fetchInOrder(options: PrefetchOptions): AsyncGenerator<Fetched> {
  const { objects, bucket, entries, onBytes, signal } = options;
  const maxBytes = options.maxBytesAhead ?? DEFAULT_PREFETCH_BYTES;
  const maxAhead = options.maxObjectsAhead ?? DEFAULT_PREFETCH_OBJECTS;
  const ahead: Started[] = [];
  let aheadBytes = 0;
  let currentLeft = 0;
  let next = 0;

  const get = (entry: ArchiveEntry): Promise<Readable | 'missing'> =>
    objects.get(bucket, entry.key).then(
      (body) => {
        // An idle body may be reset before its turn; the error is looked at then, not thrown here.
        body.on('error', () => undefined);
        return body;
      },
      (err: unknown) => (isPipelineError(err) && err.code === ErrorCode.NOT_FOUND ? 'missing' : Promise.reject(err)),
    );
  const start = (): void => {
    // The next object's GET is always allowed once the current one is read to its end.
    while (next < entries.length && (ahead.length < maxAhead || (ahead.length === 0 && currentLeft === 0))) {
      const entry = entries[next]!;
      const fits = currentLeft + aheadBytes + entry.size <= maxBytes;
      const alone = ahead.length === 0 && currentLeft <= maxBytes;
      if (!fits && !alone) return;
      next++;
      if (entry.directory || entry.size === 0) {
        ahead.push({ entry, body: Promise.resolve('missing') });
        continue;
      }
      const body = get(entry);
      body.catch(() => undefined); // awaited at its turn
      ahead.push({ entry, body });
      aheadBytes += entry.size;
    }
  };
  /** The GET sent again when the prefetched one failed, retrying what is worth retrying. */
  const fresh = (entry: ArchiveEntry): Promise<Readable | 'missing'> => retry(() => get(entry), { attempts: 3, budgetMs: 30_000 }, signal);

  try {
    for (let i = 0; i < entries.length; i++) {
      signal?.throwIfAborted();
      if (ahead.length === 0) {
        currentLeft = 0;
        start();
      }
      const turn = ahead.shift()!;
      const { entry } = turn;
      if (entry.directory || entry.size === 0) {
        start();
        yield { entry, missing: false, body: NO_BYTES };
        continue;
      }
      aheadBytes -= entry.size;
      currentLeft = entry.size;
      let body = await turn.body.catch(() => fresh(entry));
      if (body !== 'missing' && (body.errored || body.destroyed)) body = await fresh(entry);
      if (body === 'missing') {
        currentLeft = 0;
        start();
        yield { entry, missing: true };
        continue;
      }
      start();
      yield { entry, missing: false, body: counted(body) };
      currentLeft = 0;
    }
  } finally {
    // Stopped early (a failure or an abort): close every response still open.
    for (const { body } of ahead.splice(0)) void body.then((b) => b !== 'missing' && b.destroy(), () => undefined);
  }

  async function* counted(body: Readable): AsyncGenerator<Uint8Array> {
    // Leaving this loop early (the writer failed) destroys the body: no response stays open.
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      currentLeft -= chunk.length;
      onBytes?.(chunk.length);
      start();
      yield chunk;
    }
  }
}
