/**
 * Shared pieces of the JobStore contract: the fixture an adapter provides, a realistic
 * two-attempt lifecycle, seeded shuffles, and the parts of a job that must converge.
 */
import type { Job, JobChange, JobProgress, JobStore, NewJob } from '@artifact-pipeline/shared';
import { uniqueName } from '../harness/support.js';

export interface JobStoreFixture {
  /** A store over data no other test sees. */
  store: JobStore;
  /** `n` more stores over the same data as `store` (own connections where the adapter has them). */
  peers(n: number): Promise<JobStore[]>;
  /** A store over data of its own, with settings of its own. */
  isolated(options: IsolatedStoreOptions): Promise<JobStore>;
  /** Moves an injected clock forward; stores on real time let time pass by themselves. */
  advance(ms: number): void;
  /** Closes every store this fixture opened and removes what it wrote. */
  close(): Promise<void>;
}

export interface IsolatedStoreOptions {
  /** Keep a job this long after its last change, in s. */
  retentionSeconds?: number;
  /** Most index entries one list() call looks at. */
  maxScanPerList?: number;
}

export type MakeJobStoreFixture = () => Promise<JobStoreFixture>;

export interface Ctx {
  fixture: JobStoreFixture;
}

/** Mulberry32: a small seeded generator, so a failing shuffle can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `items` plus `extra` redeliveries of randomly chosen ones, in random order. */
export function withDuplicates<T>(items: readonly T[], extra: number, random: () => number): T[] {
  const out = [...items];
  for (let i = 0; i < extra; i++) out.push(items[Math.floor(random() * items.length)]!);
  return shuffled(out, random);
}

const BASE_MS = Date.parse('2030-03-01T12:00:00.000Z');
export const iso = (seconds: number): string => new Date(BASE_MS + seconds * 1000).toISOString();

export function newJob(owner: string, overrides: Partial<NewJob> = {}): NewJob {
  return { id: uniqueName('job'), type: 'zip', owner, input: { bucket: 'in', prefix: 'inbox/ann/b1/' }, ...overrides };
}

const progress = (bytesDone: number, itemsDone: number): JobProgress => ({
  bytesDone, bytesTotal: 10_000, itemsDone, itemsTotal: 10,
});

/**
 * A realistic lifecycle: started(1), `n` progressed(1), failed(1, not final), started(2),
 * `m` progressed(2), completed(2) — times increasing, as a worker would emit them.
 */
export function twoAttemptLifecycle(n = 5, m = 6): JobChange[] {
  let s = 0;
  const changes: JobChange[] = [{ kind: 'started', attempt: 1, at: iso(++s) }];
  for (let i = 1; i <= n; i++) {
    changes.push({ kind: 'progressed', attempt: 1, at: iso(++s), progress: progress(i * 1000, i) });
  }
  changes.push({
    kind: 'failed', attempt: 1, at: iso(++s), final: false,
    error: { code: 'UNAVAILABLE', message: 'S3 answered 503', retriable: true },
  });
  changes.push({ kind: 'started', attempt: 2, at: iso(++s) });
  for (let i = 1; i <= m; i++) {
    changes.push({ kind: 'progressed', attempt: 2, at: iso(++s), progress: progress(Math.round((i * 10_000) / m), Math.round((i * 10) / m)) });
  }
  changes.push(completedChange(2, iso(++s)));
  return changes;
}

export function completedChange(attempt: number, at: string): JobChange {
  return {
    kind: 'completed', attempt, at, downloadUrl: 'https://artifacts.example/zips/b1.zip?sig=1', expiresAt: iso(86_400),
    output: { bucket: 'artifacts', key: 'zips/2030/03/01/b1.zip', size: 123_456, contentType: 'application/zip' },
    manifest: { included: [{ name: 'a.txt', size: 10 }], skipped: [] },
  };
}

/** What the user sees of a finished job, whatever order the changes came in. */
export function outcome(job: Job | undefined): Partial<Job> | undefined {
  if (job === undefined) return undefined;
  const { id, type, owner, status, attempt, createdAt, input, output, downloadUrl, expiresAt, error, manifest, finishedAt } = job;
  return { id, type, owner, status, attempt, createdAt, input, output, downloadUrl, expiresAt, error, manifest, finishedAt };
}

/** The whole record except what counts or times the applications themselves. */
export function record(job: Job | undefined): Partial<Job> | undefined {
  if (job === undefined) return undefined;
  const { version: _version, updatedAt: _updatedAt, ...rest } = job;
  return rest;
}

/** Order of statuses along a lifecycle; a job never moves to a lower one once final. */
export const isFinal = (job: Job): boolean => job.status === 'done' || job.status === 'failed';

/** Every page of a listing, following nextCursor; stops after `maxPages` to stay bounded. */
export async function allPages(
  store: JobStore,
  query: { owner?: string; status?: Job['status']; limit: number },
  maxPages = 100,
): Promise<{ pages: Job[][]; items: Job[] }> {
  const pages: Job[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await store.list({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    pages.push(page.items);
    cursor = page.nextCursor;
    if (cursor === undefined) return { pages, items: pages.flat() };
  }
  throw new Error(`listing did not end within ${maxPages} pages`);
}

/** Newest first, ties by id in descending byte order: the order list() promises. */
export function newestFirst(a: Job, b: Job): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return byTime !== 0 ? byTime : Buffer.compare(Buffer.from(b.id), Buffer.from(a.id));
}
