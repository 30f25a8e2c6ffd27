/**
 * styles.xml (ECMA-376 Part 1 §18.8) for a report: one cell format per distinct column look —
 * its number format (cell-format.ts: dates as dates, amounts with grouping and their currency
 * symbol, any `format` a column asks for) and its alignment (numbers, amounts and dates on the
 * right) — and a bold header cell aligned like its column. Cells point at these by index.
 */
import { alignOfType, formatCodeOf } from './cell-format.js';
import type { Column } from './report-columns.js';
import { escapeXml } from './xlsx-xml.js';

export { DEFAULT_CURRENCY_FORMAT, DEFAULT_DATE_FORMAT } from './cell-format.js';

/** Custom number formats start at 164; 0–163 are built in (§18.8.30). */
const FIRST_CUSTOM_FORMAT = 164;

export interface StyleTable {
  /** Style index of each column's header cell (bold, aligned like the column). */
  headers: number[];
  /** Style index per column (0 = default, no `s` attribute needed). */
  columns: number[];
  xml: string;
}

interface Look {
  numFmtId: number;
  bold: boolean;
  align: 'left' | 'right';
}

export function createStyleTable(columns: readonly Column[]): StyleTable {
  const formats = new Map<string, number>(); // format code → numFmtId
  // cellXfs: 0 is the default (General, regular, no alignment).
  const xfs: Look[] = [{ numFmtId: 0, bold: false, align: 'left' }];
  const xfByLook = new Map<string, number>([['0/false/left', 0]]);
  const styleOf = (code: string | undefined, bold: boolean, align: 'left' | 'right'): number => {
    let numFmtId = 0;
    if (code !== undefined) {
      numFmtId = formats.get(code) ?? FIRST_CUSTOM_FORMAT + formats.size;
      formats.set(code, numFmtId);
    }
    const key = `${numFmtId}/${bold}/${align}`;
    let xf = xfByLook.get(key);
    if (xf === undefined) {
      xf = xfs.length;
      xfs.push({ numFmtId, bold, align });
      xfByLook.set(key, xf);
    }
    return xf;
  };
  const columnStyles = columns.map((column) => styleOf(formatCodeOf(column), false, alignOfType(column.type)));
  const headerStyles = columns.map((column) => styleOf(undefined, true, alignOfType(column.type)));
  const numFmts = [...formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`).join('');
  const cellXfs = xfs.map(({ numFmtId, bold, align }) => {
    const attributes =
      `numFmtId="${numFmtId}" fontId="${bold ? 1 : 0}" fillId="0" borderId="0" xfId="0"` +
      (numFmtId === 0 ? '' : ' applyNumberFormat="1"') +
      (bold ? ' applyFont="1"' : '');
    // Right alignment is written out: a number cell's default is already right, but a value
    // kept as text in a number column, and the header above it, would otherwise sit left.
    return align === 'right' ? `<xf ${attributes} applyAlignment="1"><alignment horizontal="right"/></xf>` : `<xf ${attributes}/>`;
  });
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
  return { headers: headerStyles, columns: columnStyles, xml };
}
