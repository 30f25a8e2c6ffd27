/**
 * Column types from the data, for columns the request does not type: the first
 * INFERENCE_SAMPLE_ROWS rows are looked at, and a column whose every non-empty sampled value
 * fits one type gets that type; anything else stays text. A later value that does not fit is
 * kept as text in its cell (report-rows.ts), never failing the row.
 *
 * What counts, per value:
 * - JSON values (inline rows, JSON lines) keep their own types: numbers are numbers, booleans
 *   booleans; a string is looked at only for a date (JSON has no date type), so `"0042"` from
 *   a JSON producer stays text.
 * - CSV text: `1200`, `-3`, `12.50` (dot decimal) are numbers; `true` / `false` (any case) are
 *   booleans; ISO 8601 dates and date-times are dates. Not numbers, so they stay text: values
 *   with thousands separators (`1,200` is 1.2 in half the world's locales — type the column
 *   `currency` to read grouped amounts), leading zeros (`007`, zip codes), a leading `+`
 *   (phone numbers), exponents, and integers beyond 15 digits (ids a float would round).
 * Date columns without a format show the time (`yyyy-mm-dd hh:mm`, with `:ss` when a sampled
 * value has seconds) when a sampled value has one, the date alone otherwise.
 */
import { CellError, convertCell } from './cell-convert.js';
import { DEFAULT_DATETIME_FORMAT, DEFAULT_DATETIME_SECONDS_FORMAT } from './cell-format.js';
import type { Column, ColumnType } from './report-columns.js';

/** Rows read ahead to type the columns (and held until they are rendered). */
export const INFERENCE_SAMPLE_ROWS = 1000;

/** Where the values come from: CSV fields are all text; JSON values carry their own types. */
export type ValueSource = 'csv' | 'json';

const CSV_NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d+)?$/;
const ISO_DATE_SHAPE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The type one value suggests; undefined for an empty value (it fits any type). */
export function typeOfValue(value: unknown, source: ValueSource): ColumnType | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value !== 'string') return 'string';
  const text = value.trim();
  if (text === '') return undefined;
  if (ISO_DATE_SHAPE.test(text) && fits(text, 'date')) return 'date';
  if (source === 'json') return 'string';
  if (CSV_NUMBER.test(text)) return 'number';
  if (/^(?:true|false)$/i.test(text)) return 'boolean';
  return 'string';
}

function fits(value: unknown, type: ColumnType): boolean {
  try {
    convertCell(value, type);
    return true;
  } catch (err) {
    if (err instanceof CellError) return false;
    throw err;
  }
}

/**
 * The columns with types for those the request left untyped, and a date format for date
 * columns without one. `sample`: the first rows' records, as read.
 */
export function inferColumnTypes(columns: readonly Column[], sample: readonly Record<string, unknown>[], source: ValueSource): Column[] {
  return columns.map((column) => {
    let type = column.type;
    if (column.inferred) {
      let seen: ColumnType | undefined;
      for (const record of sample) {
        const t = typeOfValue(record[column.key], source);
        if (t === undefined) continue;
        if (seen !== undefined && t !== seen) {
          seen = 'string';
          break;
        }
        seen = t;
      }
      type = seen ?? 'string';
    }
    const typed: Column = { ...column, type };
    if (type === 'date' && column.format === undefined) {
      const format = dateFormatOf(sample.map((r) => r[column.key]));
      if (format !== undefined) typed.format = format;
    }
    return typed;
  });
}

/** A date-time format when a sampled value has a time of day (UTC), else undefined (date only). */
function dateFormatOf(values: readonly unknown[]): string | undefined {
  let time = false;
  for (const value of values) {
    let at: number;
    try {
      const date = convertCell(value, 'date');
      if (!(date instanceof Date)) continue;
      at = date.getTime();
    } catch {
      continue;
    }
    if (at % 60_000 !== 0) return DEFAULT_DATETIME_SECONDS_FORMAT;
    if (at % 86_400_000 !== 0) time = true;
  }
  return time ? DEFAULT_DATETIME_FORMAT : undefined;
}
