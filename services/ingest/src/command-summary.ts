/**
 * The `input` summary a job record keeps (DESIGN §5 "input summary"): enough for a user
 * listing their jobs to recognise the request — never the key list or inline rows, which
 * may be 100,000 entries and belong to the command, not the read model.
 */
import type { ReportRequested, ZipRequested } from '@artifact-pipeline/shared';

export type ZipCommandData = Omit<ZipRequested, 'jobId' | 'owner'>;
export type ReportCommandData = Omit<ReportRequested, 'jobId' | 'owner'>;

export function summarizeZip(data: ZipCommandData): Record<string, unknown> {
  const { source } = data;
  const from = 'keys' in source ? { keyCount: source.keys.length } : { prefix: source.prefix };
  return {
    bucket: source.bucket,
    ...from,
    name: data.output.name,
    compression: data.options.compression,
  };
}

export function summarizeReport(data: ReportCommandData): Record<string, unknown> {
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
