/**
 * The columns of a report: what the request says, or — when it gives none — the CSV header
 * row or the keys of the first row (DESIGN §3 `report.requested`). A column without a `type`
 * is typed from a sample of the data (column-inference.ts).
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
  /** ISO 4217 code of a currency column's amounts (`EUR`): its symbol is shown with them. */
  currency?: string;
  /**
   * The type was inferred from a sample, not given: a later value that does not fit it is
   * kept as text in its cell instead of failing the row.
   */
  inferred?: boolean;
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
      ...(c.type === undefined ? { inferred: true } : {}),
      ...(c.width === undefined ? {} : { width: c.width }),
      ...(c.format === undefined ? {} : { format: c.format }),
      ...(c.currency === undefined ? {} : { currency: c.currency }),
    };
  });
}

/** Columns named after the keys (CSV headers, or the first row's fields), in order; typed later from the data. */
export function inferColumns(keys: readonly string[]): Column[] {
  if (keys.length === 0) throw badInput('the data has no columns: the first row (or CSV header) is empty');
  if (keys.length > MAX_COLUMNS) throw badInput(`the data has ${keys.length} columns; at most ${MAX_COLUMNS} fit a sheet`);
  return keys.map((key) => ({ key, header: key, type: 'string', inferred: true }));
}
