/**
 * JSON-lines rows (one JSON object per line, https://jsonlines.org) streamed from a source.
 * Lines are split on LF (CRLF tolerated), a UTF-8 byte-order mark is dropped, blank lines
 * are skipped. Holds one line at a time, at most `maxLineBytes`.
 */
import { StringDecoder } from 'node:string_decoder';
import { DEFAULT_MAX_LINE_BYTES, countBytes, type ReaderOptions, type SourceRow } from './source-row.js';

export async function* readJsonLines(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  { onBadLine, onBytes, maxLineBytes = DEFAULT_MAX_LINE_BYTES }: ReaderOptions,
): AsyncGenerator<SourceRow> {
  let line = 0;
  for await (const text of splitLines(countBytes(source, onBytes), maxLineBytes, (n) => onBadLine({ line: n, reason: `the line is longer than ${maxLineBytes} bytes` }))) {
    line += 1;
    if (text === undefined) continue; // too long, reported
    const trimmed = line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1).trim() : text.trim();
    if (trimmed === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      onBadLine({ line, reason: `not JSON: ${(err as Error).message}` });
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      onBadLine({ line, reason: `a row must be a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` });
      continue;
    }
    yield { line, record: value as Record<string, unknown> };
  }
}

/**
 * The lines of a byte stream, decoded as UTF-8; a line over `maxBytes` is dropped (yielded
 * as undefined after `onTooLong` with its number) rather than held.
 */
async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onTooLong: (line: number) => void,
): AsyncGenerator<string | undefined> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let skipping = false;
  let line = 0;
  const take = (text: string): string | undefined => {
    line += 1;
    if (!skipping && text.length <= maxBytes) return text;
    skipping = false;
    onTooLong(line);
    return undefined;
  };
  for await (const chunk of chunks) {
    let text = pending + decoder.write(chunk as Buffer);
    let at = text.indexOf('\n');
    let start = 0;
    while (at !== -1) {
      yield take(skipping ? '' : text.slice(start, at));
      start = at + 1;
      at = text.indexOf('\n', start);
    }
    text = text.slice(start);
    // A character is at least one byte, so more characters than maxBytes is too many bytes.
    if (text.length > maxBytes) {
      skipping = true;
      text = '';
    }
    pending = text;
  }
  const rest = pending + decoder.end();
  if (rest !== '' || skipping) yield take(rest);
}
