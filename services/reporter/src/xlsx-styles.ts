/**
 * styles.xml (ECMA-376 Part 1 §18.8) for a report: a bold header, and one cell format per
 * distinct column format — dates as dates, currency with two decimals and grouping, any
 * `format` a column asks for. Cells point at these by index (`s` attribute).
 */
import type { Column } from './report-columns.js';
import { escapeXml } from './xlsx-xml.js';

/** Default formats: ISO dates and two-decimal amounts read the same in every locale. */
export const DEFAULT_DATE_FORMAT = 'yyyy-mm-dd';
export const DEFAULT_CURRENCY_FORMAT = '#,##0.00';

/** Custom number formats start at 164; 0–163 are built in (§18.8.30). */
const FIRST_CUSTOM_FORMAT = 164;

export interface StyleTable {
  /** Style index of the header cells (bold). */
  header: number;
  /** Style index per column (0 = default, no `s` attribute needed). */
  columns: number[];
  xml: string;
}

function formatOf(column: Column): string | undefined {
  if (column.format !== undefined) return column.format;
  if (column.type === 'date') return DEFAULT_DATE_FORMAT;
  if (column.type === 'currency') return DEFAULT_CURRENCY_FORMAT;
  return undefined;
}

export function createStyleTable(columns: readonly Column[]): StyleTable {
  const formats = new Map<string, number>(); // format code → numFmtId
  const xfs: number[] = [0]; // numFmtId of each cellXf after the two fixed ones; 0 = General
  const xfByFormat = new Map<number, number>();
  const styleOf = (code: string | undefined): number => {
    if (code === undefined) return 0;
    let id = formats.get(code);
    if (id === undefined) {
      id = FIRST_CUSTOM_FORMAT + formats.size;
      formats.set(code, id);
    }
    let xf = xfByFormat.get(id);
    if (xf === undefined) {
      xf = 2 + xfs.length - 1; // 0 = default, 1 = header
      xfs.push(id);
      xfByFormat.set(id, xf);
    }
    return xf;
  };
  const columnStyles = columns.map((column) => styleOf(formatOf(column)));
  const numFmts = [...formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`).join('');
  const cellXfs = [
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    ...xfs.slice(1).map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`),
  ];
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    (formats.size > 0 ? `<numFmts count="${formats.size}">${numFmts}</numFmts>` : '') +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
    // Two fills are required: Excel reserves 0 (none) and 1 (gray125).
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${cellXfs.length}">${cellXfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>';
  return { header: 1, columns: columnStyles, xml };
}
