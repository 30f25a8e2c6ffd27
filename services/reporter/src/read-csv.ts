/**
 * CSV rows streamed from a source (an S3 GetObject body) with csv-parse: RFC 4180 quoting,
 * quoted delimiters and newlines, "" escapes, a UTF-8 byte-order mark, CRLF or LF. The first
 * record is the header row; every later record must have as many fields. Never read whole:
 * csv-parse holds one record at a time (at most `maxLineBytes`).
 */
import { Readable } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { badInput } from '@artifact-pipeline/shared';
import { DEFAULT_MAX_LINE_BYTES, countBytes, type ReaderOptions, type SourceRow } from './source-row.js';

export interface CsvReaderOptions extends ReaderOptions {
  /** Told the header row's names before the first row (also for a file with no rows). */
  onHeader?: (keys: string[]) => void;
}

export async function* readCsv(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  { onBadLine, onBytes, onHeader, maxLineBytes = DEFAULT_MAX_LINE_BYTES }: CsvReaderOptions,
): AsyncGenerator<SourceRow> {
  const input = Readable.from(countBytes(source, onBytes));
  const parser = input.pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      max_record_size: maxLineBytes,
      // A record that breaks the rules is reported by a 'skip' event instead of ending the
      // parse; whether that fails the job is onBadLine's decision, made right here.
      skip_records_with_error: true,
    }),
  );
  // `pipe` does not pass a source error on: a body that fails or is closed early would be an
  // unheard 'error' event (a crash) instead of a failed read.
  input.on('error', (err: Error) => parser.destroy(err));
  const badLines: CsvError[] = [];
  parser.on('skip', (err: CsvError) => badLines.push(err));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      reportBadLines(badLines, onBadLine);
      if (header === undefined) {
        header = checkHeader(record);
        onHeader?.(header);
        continue;
      }
      const row: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) row[header[i]!] = record[i];
      yield { line: info.lines, record: row };
    }
    reportBadLines(badLines, onBadLine);
  } finally {
    parser.destroy();
    input.destroy();
  }
  if (header === undefined) throw badInput('the CSV is empty: it needs a header row');
}

function reportBadLines(bad: CsvError[], onBadLine: ReaderOptions['onBadLine']): void {
  while (bad.length > 0) {
    const err = bad.shift()!;
    const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as unknown as { lines: number }).lines : 0;
    onBadLine({ line, reason: err.message.replace(/ at line \d+/, '') });
  }
}

function checkHeader(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    const name = raw.trim() === '' ? `column ${i + 1}` : raw;
    if (seen.has(name)) throw badInput(`the CSV header names column "${name}" twice`, { line: 1, column: name });
    seen.add(name);
    return name;
  });
}
