/**
 * The `input` summary of a job, from its command — the same summary ingest writes with the
 * queued record (services/ingest/src/command-summary.ts; keep the two equal until it moves
 * into packages/shared). A Kafka rebuild recreates queued records from the commands topics
 * with it.
 */
import type { ReportRequested, ZipRequested } from '@artifact-pipeline/shared';

export function summarizeZip(data: ZipRequested): Record<string, unknown> {
  const { source } = data;
  const from = 'keys' in source ? { keyCount: source.keys.length } : { prefix: source.prefix };
  return { bucket: source.bucket, ...from, name: data.output.name, compression: data.options.compression };
}

export function summarizeReport(data: ReportRequested): Record<string, unknown> {
  const from = data.source
    ? { source: { bucket: data.source.bucket, key: data.source.key, format: data.source.format } }
    : { rowCount: data.rows?.length ?? 0 };
  return {
    format: data.format,
    ...(data.title ? { title: data.title } : {}),
    columnCount: data.columns.length,
    ...from,
    name: data.output.name,
  };
}
