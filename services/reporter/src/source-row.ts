/**
 * What every input reader (inline rows, CSV, JSON lines) yields, and how a line that
 * cannot be read is reported: the request's `onError` decides whether it fails the job or
 * is skipped and counted (report-rows.ts).
 */

/** One row as read, before typing: field name → raw value. */
export interface SourceRow {
  /** Where the row is: the line in the file (CSV: the line the record ends on), or the 1-based index of an inline row. */
  line: number;
  record: Record<string, unknown>;
}

export interface BadLine {
  line: number;
  reason: string;
}

/** Called for a line that cannot be read; throws to fail the job, returns to skip the line. */
export type OnBadLine = (bad: BadLine) => void;

export interface ReaderOptions {
  onBadLine: OnBadLine;
  /** Told the running total of source bytes read (progress for S3 sources). */
  onBytes?: (bytesRead: number) => void;
  /** Longest line or record accepted, in bytes. Default 10 MiB: one row must never hold memory hostage. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024;

/** Passes chunks on, counting their bytes for `onBytes`. */
export async function* countBytes(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  onBytes: ((bytesRead: number) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    onBytes?.(total);
    yield bytes;
  }
}
