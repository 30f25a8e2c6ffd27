/**
 * A typed cell as text, for the PDF (the XLSX keeps types and lets Excel format them):
 * dates as ISO dates (with the time when there is one, UTC), amounts with grouping and two
 * decimals, booleans as yes/no.
 */
import type { CellValue } from './cell-convert.js';
import type { ColumnType } from './report-columns.js';

const AMOUNT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function cellText(value: CellValue, type: ColumnType): string {
  if (value === null) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return value.getTime() % 86_400_000 === 0 ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  }
  if (typeof value === 'number') return type === 'currency' ? AMOUNT.format(value) : String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value;
}

/** Numbers and amounts line up on the right, like a spreadsheet. */
export function alignOf(type: ColumnType): 'left' | 'right' {
  return type === 'number' || type === 'currency' ? 'right' : 'left';
}
