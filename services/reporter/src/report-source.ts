/**
 * The rows of one report request, typed and in column order: inline `rows`, or a CSV /
 * JSON-lines object in S3 streamed from its GetObject body. Columns are the request's, or —
 * when it gives none — the CSV header row or the keys of the first row, found by reading
 * just the first row before anything is rendered.
 */
import { ErrorCode, PipelineError, type ObjectStore, type ReportRequested } from '@artifact-pipeline/shared';
import { INFERENCE_SAMPLE_ROWS, inferColumnTypes } from './column-inference.js';
import { inferColumns, requestedColumns, type Column } from './report-columns.js';
import { badLinePolicy, createSkipTally, typedRows, type SkipTally, type TypedRow } from './report-rows.js';
import { checkInlineSize, readInline } from './read-inline.js';
import { readCsv } from './read-csv.js';
import { readJsonLines } from './read-jsonl.js';
import type { SourceRow } from './source-row.js';

export interface ReportInput {
  columns: Column[];
  rows: AsyncIterable<TypedRow>;
  /** Rows left out under `onError: "skip"`, filled in as rows are read. */
  skipped: SkipTally;
  /** Source bytes (S3 sources) and rows (inline) known before rendering; 0 when unknown. */
  bytesTotal: number;
  itemsTotal: number;
  /** Source bytes read so far (S3 sources). */
  bytesRead(): number;
}

export interface ReportSourceOptions {
  objects: ObjectStore;
  signal: AbortSignal;
  /** Cap on inline rows' JSON size (the ingest body limit). */
  maxInlineBytes?: number;
}

export async function openReportInput(command: ReportRequested, options: ReportSourceOptions): Promise<ReportInput> {
  const skipped = createSkipTally();
  const onBadLine = badLinePolicy(command.onError ?? 'fail', skipped);
  let bytesRead = 0;
  let header: string[] | undefined;
  let bytesTotal = 0;
  let itemsTotal = 0;
  let raw: AsyncIterator<SourceRow>;

  if (command.rows !== undefined && command.source !== undefined) {
    throw new PipelineError('a report takes `rows` or `source`, not both', { code: ErrorCode.INVALID_INPUT, retriable: false });
  }
  if (command.source !== undefined) {
    const { bucket, key, format } = command.source;
    const info = await options.objects.head(bucket, key);
    if (info === undefined) {
      throw new PipelineError(`the report source s3://${bucket}/${key} does not exist`, {
        code: ErrorCode.SOURCE_NOT_FOUND,
        retriable: false,
        context: { bucket, key },
      });
    }
    bytesTotal = info.size;
    const body = await options.objects.get(bucket, key);
    options.signal.addEventListener('abort', () => body.destroy(), { once: true });
    const reader = { onBadLine, onBytes: (n: number) => (bytesRead = n) };
    raw = (format === 'csv' ? readCsv(body, { ...reader, onHeader: (keys) => (header = keys) }) : readJsonLines(body, reader))[Symbol.asyncIterator]();
  } else {
    const rows = command.rows ?? [];
    checkInlineSize(rows, options.maxInlineBytes);
    itemsTotal = rows.length;
    raw = readInline(rows)[Symbol.asyncIterator]();
  }

  // The first row decides the columns when the request does not; for a CSV, the header does
  // (read together with the first row, and also for a file of headers only). The first
  // INFERENCE_SAMPLE_ROWS rows type the columns the request leaves untyped.
  const sample: SourceRow[] = [];
  let done = false;
  try {
    while (sample.length < INFERENCE_SAMPLE_ROWS) {
      const next = await raw.next();
      if (next.done) {
        done = true;
        break;
      }
      sample.push(next.value);
    }
  } catch (err) {
    // A bad line in the sample (onError "fail"): close the source before failing.
    await raw.return?.();
    throw err;
  }
  let columns = requestedColumns(command.columns);
  if (columns === undefined) {
    const keys = header ?? (sample[0] === undefined ? undefined : Object.keys(sample[0].record));
    if (keys === undefined) {
      await raw.return?.();
      throw new PipelineError('the report has no columns and no rows to take them from', { code: ErrorCode.SOURCE_EMPTY, retriable: false });
    }
    columns = inferColumns(keys);
  }
  columns = inferColumnTypes(columns, sample.map((r) => r.record), command.source?.format === 'csv' ? 'csv' : 'json');

  async function* all(): AsyncGenerator<SourceRow> {
    try {
      yield* sample.splice(0);
      if (done) return;
      for (let next = await raw.next(); !next.done; next = await raw.next()) yield next.value;
    } finally {
      await raw.return?.();
    }
  }

  return {
    columns,
    rows: typedRows(all(), columns, onBadLine),
    skipped,
    bytesTotal,
    itemsTotal,
    bytesRead: () => bytesRead,
  };
}
