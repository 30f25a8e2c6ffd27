/**
 * Source rows → typed rows in column order, applying the request's `onError`: 'fail' (the
 * default) fails the job at the first bad line with its line number; 'skip' drops the row
 * and counts it, keeping the first few as samples for the manifest. A column whose type was
 * inferred keeps a value that does not fit as text instead (column-inference.ts).
 */
import { badInput } from '@artifact-pipeline/shared';
import { CellError, convertCell, type CellValue } from './cell-convert.js';
import type { Column } from './report-columns.js';
import type { BadLine, OnBadLine, SourceRow } from './source-row.js';

export type OnError = 'fail' | 'skip';

export interface TypedRow {
  line: number;
  values: CellValue[];
}

/** Skipped rows: all counted, the first `maxSamples` kept (manifest `skipped`). */
export interface SkipTally {
  total: number;
  samples: { key: string; reason: string }[];
}

/** Samples kept for the manifest. Default 100. */
export const DEFAULT_SKIP_SAMPLES = 100;

export function createSkipTally(): SkipTally {
  return { total: 0, samples: [] };
}

/** The policy as the readers' callback: throws INVALID_INPUT for 'fail', tallies for 'skip'. */
export function badLinePolicy(onError: OnError, tally: SkipTally, maxSamples = DEFAULT_SKIP_SAMPLES): OnBadLine {
  return ({ line, reason }: BadLine) => {
    if (onError === 'fail') throw badInput(`line ${line}: ${reason}`, { line });
    tally.total += 1;
    if (tally.samples.length < maxSamples) tally.samples.push({ key: `line ${line}`, reason: reason.slice(0, 1024) });
  };
}

export async function* typedRows(
  source: AsyncIterable<SourceRow> | Iterable<SourceRow>,
  columns: readonly Column[],
  onBadLine: OnBadLine,
): AsyncGenerator<TypedRow> {
  for await (const { line, record } of source) {
    const values: CellValue[] = new Array<CellValue>(columns.length);
    let bad: string | undefined;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      try {
        values[i] = convertCell(record[column.key], column.type);
      } catch (err) {
        if (!(err instanceof CellError)) throw err;
        // A type read from a sample is a guess: a value that does not fit stays as text.
        if (column.inferred) {
          values[i] = convertCell(record[column.key], 'string');
          continue;
        }
        bad = `column "${column.key}": ${err.message}`;
        break;
      }
    }
    if (bad === undefined) yield { line, values };
    else onBadLine({ line, reason: bad });
  }
}
