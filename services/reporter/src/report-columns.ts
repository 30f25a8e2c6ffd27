/**
 * The columns of a report: what the request says, or — when it gives none — the CSV header
 * row or the keys of the first row, all typed as strings (DESIGN §3 `report.requested`).
 */
import { badInput, type ReportColumn } from '@artifact-pipeline/shared';

export type ColumnType = 'string' | 'number' | 'date' | 'boolean' | 'currency';

export interface Column {
  key: string;
  header: string;
  type: ColumnType;
  /** Width in characters, when the request fixes it. */
  width?: number;
  /** Excel number format code (ECMA-376 Part 1 §18.8.31), e.g. `0.00` or `yyyy-mm-dd`. */
  format?: string;
}

/** Most columns a report may have: Excel's 16,384 (XFD); the command schema caps it at 1,024. */
export const MAX_COLUMNS = 16_384;

/** The requested columns with defaults filled in, or undefined when the data must say. */
export function requestedColumns(columns: readonly ReportColumn[] | undefined): Column[] | undefined {
  if (!columns || columns.length === 0) return undefined;
  const seen = new Set<string>();
  return columns.map((c) => {
    if (seen.has(c.key)) throw badInput(`column "${c.key}" is listed twice`, { column: c.key });
    seen.add(c.key);
    return {
      key: c.key,
      header: c.header,
      type: c.type ?? 'string',
      ...(c.width === undefined ? {} : { width: c.width }),
      ...(c.format === undefined ? {} : { format: c.format }),
    };
  });
}

/** String columns named after the keys (CSV headers, or the first row's fields), in order. */
export function inferColumns(keys: readonly string[]): Column[] {
  if (keys.length === 0) throw badInput('the data has no columns: the first row (or CSV header) is empty');
  if (keys.length > MAX_COLUMNS) throw badInput(`the data has ${keys.length} columns; at most ${MAX_COLUMNS} fit a sheet`);
  return keys.map((key) => ({ key, header: key, type: 'string' }));
}
