/**
 * Inline rows from the command (`rows`). Their total size is capped (default 10 MB of JSON,
 * the ingest body limit) so a command from another system cannot carry more than ingest
 * would have accepted.
 */
import { ErrorCode, PipelineError } from '@artifact-pipeline/shared';
import type { SourceRow } from './source-row.js';

/** Default cap on the JSON size of inline rows, in bytes: 10 MB. */
export const DEFAULT_MAX_INLINE_BYTES = 10 * 1000 * 1000;

export function checkInlineSize(rows: readonly unknown[], maxBytes = DEFAULT_MAX_INLINE_BYTES): void {
  const bytes = Buffer.byteLength(JSON.stringify(rows));
  if (bytes > maxBytes) {
    throw new PipelineError(`inline rows are ${bytes} bytes of JSON; at most ${maxBytes} are accepted: put the data in S3 and give it as source`, {
      code: ErrorCode.PAYLOAD_TOO_LARGE,
      retriable: false,
      context: { bytes, maxBytes },
    });
  }
}

export async function* readInline(rows: readonly Record<string, unknown>[]): AsyncGenerator<SourceRow> {
  for (let i = 0; i < rows.length; i++) yield { line: i + 1, record: rows[i]! };
}
