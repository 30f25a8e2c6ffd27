/**
 * A worksheet part (ECMA-376 Part 1 §18.3.1.99 `worksheet`) written in three pieces so rows
 * can stream between them: the start (view with the frozen header, column widths, the header
 * row), one string per row, and the end (the autofilter over what was written). Strings are
 * inline (`t="inlineStr"`, §18.3.1.53) rather than shared, so nothing grows with the row count.
 */
import type { CellValue } from './cell-convert.js';
import type { Column } from './report-columns.js';
import { columnName, escapeXml, excelSerial } from './xlsx-xml.js';

const NS =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

export interface SheetStartOptions {
  columns: readonly Column[];
  /** Width of each column in characters (Excel's unit: the width of '0' in the default font). */
  widths: readonly number[];
  /** Style index of each header cell (bold, aligned like its column). */
  headerStyles: readonly number[];
  /** The first sheet is the one shown when the workbook opens. */
  selected: boolean;
  /** Data rows the sheet will hold, when known before it is written: its `<dimension>`. */
  rows?: number;
}

/**
 * Everything before the first data row: the used range (§18.3.1.35 `dimension`, which streaming
 * readers such as openpyxl's read-only mode take the sheet's size from; it must come first, so
 * it is written only when the row count is known ahead), sheet view (frozen row 1, §18.3.1.66
 * `pane`), `cols`, the header row.
 */
export function sheetStart({ columns, widths, headerStyles, selected, rows }: SheetStartOptions): string {
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  const header = columns
    .map((c, i) => `<c r="${columnName(i)}1" t="inlineStr" s="${headerStyles[i] ?? 0}"><is>${textElement(c.header)}</is></c>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<worksheet ${NS}>` +
    (rows === undefined ? '' : `<dimension ref="${filterRange(columns.length, rows + 1)}"/>`) +
    `<sheetViews><sheetView${selected ? ' tabSelected="1"' : ''} workbookViewId="0">` +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' +
    '</sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    `<cols>${cols}</cols>` +
    `<sheetData><row r="1">${header}</row>`
  );
}

/** The autofilter range of a sheet whose last row is `lastRow`, e.g. `A1:J1001`. */
export function filterRange(columnCount: number, lastRow: number): string {
  return `A1:${columnName(columnCount - 1)}${lastRow}`;
}

/** Closes the sheet data and sets the autofilter (§18.3.1.2) over the header and the rows written. */
export function sheetEnd(columnCount: number, lastRow: number): string {
  return `</sheetData><autoFilter ref="${filterRange(columnCount, lastRow)}"/></worksheet>`;
}

/** `<t>` keeping leading/trailing spaces (xml:space, XML 1.0 §2.10), which parsers drop otherwise. */
function textElement(text: string): string {
  const preserve = text.length > 0 && (isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)));
  return preserve ? `<t xml:space="preserve">${escapeXml(text)}</t>` : `<t>${escapeXml(text)}</t>`;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

export type RowRenderer = (rowNumber: number, values: readonly CellValue[]) => string;

/**
 * Renders one row. Per column the reference prefix and style attribute are built once; a
 * row is then a handful of concatenations per cell. Empty cells are left out (§18.3.1.4).
 */
export function createRowRenderer(columnStyles: readonly number[]): RowRenderer {
  const refs = columnStyles.map((_, i) => `<c r="${columnName(i)}`);
  const styles = columnStyles.map((s) => (s === 0 ? '' : ` s="${s}"`));
  return (rowNumber, values) => {
    const r = String(rowNumber);
    let xml = `<row r="${r}">`;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      const head = refs[i]! + r + '"' + styles[i]!;
      if (typeof value === 'number') xml += `${head}><v>${value}</v></c>`;
      else if (typeof value === 'string') xml += `${head} t="inlineStr"><is>${textElement(value)}</is></c>`;
      else if (typeof value === 'boolean') xml += `${head} t="b"><v>${value ? 1 : 0}</v></c>`;
      else xml += `${head}><v>${excelSerial(value)}</v></c>`;
    }
    return `${xml}</row>`;
  };
}
