/**
 * Pieces the ObjectStore contract cases share: the fixture an adapter's test file provides,
 * a suite that owns one fixture and one bucket, and stream helpers that never hold a large
 * body in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { suite, type Test } from 'uvu';
import { isPipelineError, type ObjectStore } from '@artifact-pipeline/shared';
import { withDeadline } from '../harness/support.js';

export interface ObjectStoreFixture {
  store: ObjectStore;
  /** Creates an empty bucket no other test uses; close() removes it with its contents. */
  newBucket(): Promise<string>;
  /** A bucket name that does not exist; close() removes the bucket if a test created it. */
  unusedBucket(): string;
  /** Whether a multipart upload's etag ends in `-<parts>`, as S3's does. */
  multipartEtags: boolean;
  /** Removes every bucket the fixture named, and closes clients and servers. */
  close(): Promise<void>;
}

export type MakeFixture = () => Promise<ObjectStoreFixture>;

export interface CaseContext {
  fixture: ObjectStoreFixture;
  store: ObjectStore;
  /** An empty bucket of this suite's own. */
  bucket: string;
}

/** A uvu suite whose `before` builds the fixture and one bucket, and whose `after` removes them. */
export function caseSuite(title: string, makeFixture: MakeFixture): Test<CaseContext> {
  const s = suite<CaseContext>(title, {} as CaseContext);
  s.before(async (ctx) => {
    ctx.fixture = await withDeadline(makeFixture(), 30_000, 'the object store fixture to start');
    ctx.store = ctx.fixture.store;
    ctx.bucket = await withDeadline(ctx.fixture.newBucket(), 10_000, 'a test bucket to be created');
  });
  s.after(async (ctx) => {
    if (ctx.fixture) await withDeadline(ctx.fixture.close(), 60_000, 'the object store fixture to close');
  });
  return s;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** SHA-256 hex and byte count of a stream, reading it once without keeping it. */
export async function digest(stream: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * A stream of `size` random bytes in 1 MiB chunks, of unknown length to its reader (a
 * generator, no Content-Length), hashing what it yields into `sha256` as it goes.
 */
export function randomStream(size: number): { body: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  async function* generate(): AsyncGenerator<Buffer> {
    for (let sent = 0; sent < size; ) {
      const chunk = randomBytes(Math.min(1024 * 1024, size - sent));
      hash.update(chunk);
      sent += chunk.length;
      yield chunk;
    }
  }
  return { body: Readable.from(generate()), sha256: () => hash.digest('hex') };
}

/**
 * `head` bytes at once, then what `after` decides: throw (a source failing midway), or
 * trickle 64 KiB every 50 ms until the reader gives up (an upload to abort).
 */
export function stallingStream(head: number, after: () => Promise<void>): Readable {
  async function* generate(): AsyncGenerator<Buffer> {
    for (let sent = 0; sent < head; sent += 1024 * 1024) yield randomBytes(1024 * 1024);
    await after();
    for (;;) {
      await delay(50);
      yield randomBytes(64 * 1024);
    }
  }
  return Readable.from(generate());
}

/** A promise and the function that resolves it. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The PipelineError code `promise` rejects with ('resolved' if it did not reject). */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (err) {
    return isPipelineError(err) ? err.code : `not a PipelineError: ${String(err)}`;
  }
}

/** Keys in S3 order: by UTF-8 bytes. */
export function sortKeys(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export const MiB = 1024 * 1024;
