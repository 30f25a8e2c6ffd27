/**
 * Turns one raw value (a JSON value from inline rows or JSON lines, a string from CSV) into
 * the typed value of its column, or says why it cannot. Empty values (null, undefined, '')
 * are empty cells in every type: a blank CSV field is not an error.
 */
import type { ColumnType } from './report-columns.js';

/** A typed cell: dates are instants (UTC), currency is a number. null = empty cell. */
export type CellValue = string | number | boolean | Date | null;

/** Why a value does not fit its column; the row reader adds the line and column. */
export class CellError extends Error {
  override readonly name = 'CellError';
}

// A decimal number as people type it: sign, digits, one point, optional exponent. No
// thousands separators (ambiguous across locales: "1,234" vs "1,5"); currency strips them.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// ISO 8601 / RFC 3339 dates as JSON and CSV exports write them: a date, optionally a time
// with seconds, fractions and a zone. A time without a zone is taken as UTC.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
// Symbols, spaces and grouping commas a currency amount may carry: "$1,234.50", "€ 12", "(3.00)".
const CURRENCY_NOISE = /[\s,$€£¥₹₽¤]|^[A-Z]{3}|[A-Z]{3}$/g;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

/** Most characters one cell holds (Excel's limit); longer text is cut with an ellipsis. */
export const MAX_CELL_CHARS = 32_767;

export function convertCell(value: unknown, type: ColumnType): CellValue {
  if (value === null || value === undefined || value === '') return null;
  switch (type) {
    case 'string':
      return toText(value);
    case 'number':
      return toNumber(value, 'a number');
    case 'currency':
      return toCurrency(value);
    case 'date':
      return toDate(value);
    case 'boolean':
      return toBoolean(value);
  }
}

function toText(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

function toNumber(value: unknown, what: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new CellError(`${String(value)} is not ${what}`);
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (DECIMAL.test(text)) {
      const n = Number(text);
      if (Number.isFinite(n)) return n;
    }
  }
  throw new CellError(`${describe(value)} is not ${what}`);
}

function toCurrency(value: unknown): number {
  if (typeof value !== 'string') return toNumber(value, 'an amount');
  const text = value.trim();
  // Accounting negatives: "(12.50)" = -12.50.
  const negative = /^\(.*\)$/.test(text);
  const bare = (negative ? text.slice(1, -1) : text).replace(CURRENCY_NOISE, '');
  const n = toNumber(bare, 'an amount');
  if (bare === '' || (negative && n < 0)) throw new CellError(`${describe(value)} is not an amount`);
  return negative ? -n : n;
}

function toDate(value: unknown): Date {
  if (typeof value === 'string') {
    const m = ISO_DATE.exec(value.trim());
    if (m) {
      const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
      const ms = Math.round(Number(`0${m[7] ?? ''}`) * 1000);
      const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
      const day = new Date(Date.UTC(y, mo - 1, d));
      // Date.UTC rolls 2024-02-30 over into March: a real calendar date must come back as given.
      const real = day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
      if (real) return new Date(utc - zoneOffsetMs(m[8]));
    }
  }
  throw new CellError(`${describe(value)} is not a date (ISO 8601, e.g. 2024-03-05 or 2024-03-05T10:30:00Z)`);
}

/** "+02:00" → 2 h in ms; "Z" or none → 0 (a time without a zone is taken as UTC). */
function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new CellError(`${describe(value)} is not a boolean (true/false, yes/no, 1/0)`);
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
