/**
 * One report job, from command to job.completed payload: clear what a dead
 * attempt left, open the rows (inline or streamed from S3), render the XLSX or PDF straight
 * into a multipart upload to ARTIFACTS_BUCKET at the job's deterministic key, then HEAD the
 * result and presign a GET whose Content-Disposition names the file.
 *
 * Memory stays flat: rows are pulled from the source only as fast as the renderer's output
 * is taken by the upload (backpressure end to end), and no row is kept once it is written.
 */
import {
  ErrorCode,
  PipelineError,
  contentDisposition,
  toPipelineError,
  type EventType,
  type Manifest,
  type ObjectStore,
  type TypedEvent,
} from '@artifact-pipeline/shared';
import { jobOutputPrefix } from '@artifact-pipeline/shared/worker/output-key';
import type { BuildContext, BuildResult } from '@artifact-pipeline/shared/worker/run-job-worker';
import { abortStaleUploads } from '@artifact-pipeline/shared/worker/stale-uploads';
import { checkCommandSource, type SourceCheckDeps } from '@artifact-pipeline/shared/worker/source-check';
import { writePdfReport } from './pdf-writer.js';
import { openReportInput, type ReportInput } from './report-source.js';
import { countSourceRows } from './source-row-count.js';
import { writeXlsxReport } from './xlsx-writer.js';

export type ReportCommand = TypedEvent<typeof EventType.reportRequested>;

export const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

export interface ReportJobOptions {
  objects: ObjectStore;
  /** The source policy, checked before the source is read; the service always passes it. */
  sourceCheck?: SourceCheckDeps;
  artifactsBucket: string;
  /** DOWNLOAD_URL_TTL_SECONDS. */
  downloadUrlTtlSeconds: number;
  /** Cap on inline rows' JSON size. Default 10 MB (read-inline.ts). */
  maxInlineBytes?: number;
  /** XLSX data rows per sheet before rolling over (tests lower it). */
  maxRowsPerSheet?: number;
  /** Told about each finished report (metrics). */
  onReport?: (report: { format: 'xlsx' | 'pdf'; rows: number; size: number }) => void;
  clock?: () => Date;
}

export type ReportBuild = (command: ReportCommand, context: BuildContext) => Promise<BuildResult>;

interface Rendered {
  rows: number;
  /** Sheets (XLSX) or pages (PDF). */
  parts: number;
}

export function createReportBuild(options: ReportJobOptions): ReportBuild {
  const { objects, artifactsBucket: bucket, downloadUrlTtlSeconds: ttl, clock = () => new Date() } = options;
  return async (command, { signal, reportProgress, logger }) => {
    const { jobId, format, title, output } = command.data;
    if (options.sourceCheck) await checkCommandSource(options.sourceCheck, command.data);
    const prefix = jobOutputPrefix('reports', new Date(command.time), jobId);
    const key = `${prefix}${output.name}`;
    const aborted = await abortStaleUploads(objects, bucket, prefix, logger);
    signal.throwIfAborted();
    const input = await openReportInput(command.data, {
      objects,
      signal,
      ...(options.maxInlineBytes === undefined ? {} : { maxInlineBytes: options.maxInlineBytes }),
    });
    // An S3 source is counted ahead (source-row-count.ts): exact progress and the XLSX's size.
    const source = command.data.source;
    const itemsTotal = source === undefined ? input.itemsTotal : await countSourceRows(objects, source, signal);
    logger.info({ format, columns: input.columns.length, sourceBytes: input.bytesTotal, rows: itemsTotal, staleUploads: aborted, key }, 'rendering');

    // The readers run ahead of the renderer (the 1,000 sample rows, stream buffers): bytes read
    // would say "done" while rows are still being drawn, and the status service's percent and
    // ETA follow bytes. So bytes done are the share of the source the rendered rows stand for
    // (rows / total of the bytes), never more than was read, and all of it once rendering ends.
    const progress = (rows: number, finished = false): void => {
      const read = Math.min(input.bytesRead(), input.bytesTotal);
      const share = itemsTotal > 0 ? Math.round((input.bytesTotal * Math.min(rows, itemsTotal)) / itemsTotal) : read;
      reportProgress({
        bytesDone: input.bytesTotal === 0 ? 0 : finished ? read : Math.min(read, share),
        bytesTotal: input.bytesTotal,
        itemsDone: rows,
        itemsTotal,
      });
    };
    progress(0);
    const rendered = await renderAndUpload(options, input, {
      format,
      // No title: the file's name without its extension ("visitors", not "visitors.xlsx").
      title: title === '' ? output.name.replace(/\.[^.]+$/, '') || output.name : title,
      expectedRows: itemsTotal,
      bucket,
      key,
      fileName: output.name,
      signal,
      onRows: progress,
    });
    progress(rendered.rows, true);
    const stored = await objects.head(bucket, key);
    if (stored === undefined) {
      throw new PipelineError(`the uploaded report s3://${bucket}/${key} is not there`, { code: ErrorCode.UNAVAILABLE, retriable: true });
    }
    options.onReport?.({ format, rows: rendered.rows, size: stored.size });
    logger.info({ rows: rendered.rows, [format === 'xlsx' ? 'sheets' : 'pages']: rendered.parts, size: stored.size, skipped: input.skipped.total }, 'report written');
    const signedAt = clock().getTime();
    // Temporary credentials (IRSA) end before a long TTL: expiresAt says when the URL really dies.
    const lifetime = (await objects.presignLifetime?.(ttl)) ?? ttl;
    const downloadUrl = await objects.presignGet(bucket, key, { expiresInSeconds: lifetime, fileName: output.name });
    const manifest: Manifest = { included: rendered.rows, skipped: input.skipped.samples, skippedTotal: input.skipped.total };
    return {
      output: { bucket, key, size: stored.size, contentType: CONTENT_TYPES[format] },
      downloadUrl,
      expiresAt: new Date(signedAt + lifetime * 1000).toISOString(),
      manifest,
    };
  };
}

interface Target {
  format: 'xlsx' | 'pdf';
  title: string;
  bucket: string;
  key: string;
  fileName: string;
  expectedRows: number;
  signal: AbortSignal;
  onRows: (rows: number) => void;
}

/**
 * Renders into the upload. Whichever side fails first — the rows (a bad line), the renderer,
 * the upload, or the signal — stops the other: the renderer's output is destroyed, which
 * aborts the multipart upload, and the first failure is the one reported.
 */
async function renderAndUpload(options: ReportJobOptions, input: ReportInput, target: Target): Promise<Rendered> {
  const { objects } = options;
  const { signal } = target;
  const report =
    target.format === 'xlsx'
      ? writeXlsxReport({
          title: target.title,
          columns: input.columns,
          rows: input.rows,
          onRows: target.onRows,
          expectedRows: target.expectedRows,
          ...(options.maxRowsPerSheet === undefined ? {} : { maxRowsPerSheet: options.maxRowsPerSheet }),
          ...(options.clock ? { clock: options.clock } : {}),
        })
      : writePdfReport({
          title: target.title,
          columns: input.columns,
          rows: input.rows,
          onRows: target.onRows,
          ...(options.clock ? { generatedAt: options.clock() } : {}),
        });
  // Failures are reported through `done` and the upload; the store may not listen yet when
  // the renderer fails early (a bad first row), and an unheard stream error would crash.
  report.output.on('error', () => undefined);
  const uploadAbort = new AbortController();
  const onAbort = (): void => {
    uploadAbort.abort(signal.reason);
    report.output.destroy(toPipelineError(signal.reason, ErrorCode.ABORTED));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const uploading = objects.put(target.bucket, target.key, report.output, {
    contentType: CONTENT_TYPES[target.format],
    contentDisposition: contentDisposition(target.fileName),
    signal: uploadAbort.signal,
  });
  let first: unknown;
  const rendering = report.done.then(
    (summary) => ({ rows: summary.rows, parts: 'sheets' in summary ? summary.sheets : summary.pages }),
    (err: unknown) => {
      first ??= err;
      uploadAbort.abort(err);
      throw err;
    },
  );
  uploading.catch((err: unknown) => {
    first ??= err;
    report.output.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  try {
    const [rendered] = await Promise.all([rendering, uploading]);
    return rendered;
  } catch (err) {
    await Promise.allSettled([rendering, uploading]);
    if (signal.aborted) throw toPipelineError(signal.reason, ErrorCode.ABORTED);
    throw toPipelineError(first ?? err, ErrorCode.INTERNAL);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
