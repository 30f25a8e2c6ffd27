/**
 * Paging of job listings (DESIGN §6 `GET /v1/jobs?status=&limit=&cursor=`): newest first by
 * createdAt, ties broken by job id in descending byte order — the order of a Redis sorted
 * set read with ZRANGE … REV — and an opaque cursor naming the last entry a page looked at.
 */
import { badInput } from './errors.js';
import type { JobStatus } from './ports/job-store.js';
import { isJobStatus } from './job-transition.js';

/** A position in a listing: the createdAt (ms since the epoch) and id of an entry. */
export interface ListPosition {
  createdAtMs: number;
  id: string;
}

/** Default and largest page sizes (DESIGN §6). */
export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

/** base64url of `v1:<createdAtMs>:<id>`; the version leaves room to change the format. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`v1:${position.createdAtMs}:${position.id}`, 'utf8').toString('base64url');
}

/** The position a cursor names; INVALID_INPUT for anything encodeCursor did not make. */
export function decodeCursor(cursor: string): ListPosition {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^v1:(\d{1,16}):(.+)$/s.exec(text);
  const createdAtMs = match ? Number(match[1]) : Number.NaN;
  if (!match || !Number.isSafeInteger(createdAtMs)) {
    throw badInput('cursor is not one this service issued', { field: 'cursor' });
  }
  return { createdAtMs, id: match[2]! };
}

/** The page size asked for, or the default; INVALID_INPUT outside 1..100. */
export function resolveListLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw badInput(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`, { field: 'limit', limit });
  }
  return limit;
}

/** The status filter asked for; INVALID_INPUT for an unknown status. */
export function resolveStatusFilter(status: unknown): JobStatus | undefined {
  if (status === undefined) return undefined;
  if (!isJobStatus(status)) throw badInput('status is not a job status', { field: 'status', status });
  return status;
}

/** Sort order of a listing: negative when `a` comes first (newer, or same ms and greater id). */
export function compareNewestFirst(a: ListPosition, b: ListPosition): number {
  if (a.createdAtMs !== b.createdAtMs) return b.createdAtMs - a.createdAtMs;
  return Buffer.compare(Buffer.from(b.id, 'utf8'), Buffer.from(a.id, 'utf8'));
}
