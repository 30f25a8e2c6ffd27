/**
 * Column widths, in Excel's unit (characters of '0' in the default font), from the request or
 * from the header and the first rows: wide enough for the header in bold with its filter
 * button, and for most values, within sensible bounds.
 */
import type { CellValue } from './cell-convert.js';
import { columnText } from './cell-format.js';
import type { Column } from './report-columns.js';

export const MIN_WIDTH = 6;
export const MAX_WIDTH = 60;

export function columnWidths(columns: readonly Column[], sample: readonly (readonly CellValue[])[]): number[] {
  return columns.map((column, i) => {
    if (column.width !== undefined) return column.width;
    // Bold text is ~10 % wider; the autofilter button takes about 3 characters.
    let chars = Math.ceil(column.header.length * 1.1) + 3;
    const shown = columnText(column);
    for (const values of sample) chars = Math.max(chars, displayLength(values[i] ?? null, shown));
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, chars + 2));
  });
}

function displayLength(value: CellValue, shown: (value: CellValue) => string): number {
  if (value === null) return 0;
  // As the column's format shows it (cell-format.ts): "€1,234,567.89", "2024-03-05 10:30".
  if (value instanceof Date || typeof value === 'number') return shown(value).length;
  if (typeof value === 'boolean') return 5;
  // The longest line of a multi-line text.
  return value.split('\n').reduce((max, line) => Math.max(max, line.length), 0);
}
