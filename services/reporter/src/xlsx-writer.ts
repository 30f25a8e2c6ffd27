/**
 * An XLSX report streamed row by row in constant memory: sheet XML is written into a
 * deflated part of the package as rows arrive, and the package is read by the upload at its
 * own pace (backpressure from the multipart upload back to the row source). Past 1,048,576
 * rows (Excel's limit, header included) the rows go on in a new sheet: "Report",
 * "Report (2)", … each with its own header, frozen pane and autofilter.
 */
import type { Readable } from 'node:stream';
import type { Column } from './report-columns.js';
import type { TypedRow } from './report-rows.js';
import { MAX_PART_BYTES, createXlsxPackage, type PartWriter } from './xlsx-package.js';
import { appProperties, contentTypes, coreProperties, rootRelationships, sheetPath, workbookRelationships, workbookXml, type SheetEntry } from './xlsx-parts.js';
import { createRowRenderer, filterRange, sheetEnd, sheetStart } from './xlsx-sheet-xml.js';
import { createStyleTable } from './xlsx-styles.js';
import { columnWidths } from './xlsx-widths.js';
import { sheetName } from './xlsx-xml.js';

/** Excel's rows per sheet (ECMA-376 Part 1 §18.3.1.73 allows 1..1,048,576), less the header. */
export const MAX_DATA_ROWS_PER_SHEET = 1_048_575;
/** Characters of row XML gathered before they go to the deflater: ~64 KiB. */
const FLUSH_CHARS = 64 * 1024;

export interface XlsxReportOptions {
  title: string;
  columns: readonly Column[];
  rows: AsyncIterable<TypedRow>;
  /** Rows looked at for column widths before the first is written. Default 100. */
  sampleRows?: number;
  /** Data rows per sheet before rolling over. Default MAX_DATA_ROWS_PER_SHEET (tests lower it). */
  maxRowsPerSheet?: number;
  deflateLevel?: number;
  clock?: () => Date;
  /** Told the rows written so far, every 1,000 rows and at the end. */
  onRows?: (rows: number) => void;
  /**
   * Rows the report will have, when known before the first is written (inline rows, or a
   * source counted ahead): each sheet then starts with its `<dimension>`.
   */
  expectedRows?: number;
}

export interface XlsxSummary {
  rows: number;
  sheets: number;
  bytes: number;
}

export interface XlsxReport {
  /** The workbook's bytes: read them, or rendering waits. */
  output: Readable;
  /** Settles when the last byte is handed to `output`; rejects with the first failure. */
  done: Promise<XlsxSummary>;
}

export function writeXlsxReport(options: XlsxReportOptions): XlsxReport {
  const created = (options.clock ?? (() => new Date()))();
  const pkg = createXlsxPackage({ mtime: created, ...(options.deflateLevel === undefined ? {} : { deflateLevel: options.deflateLevel }) });
  const done = render(options, pkg, created).catch((err: unknown) => {
    pkg.abort(err);
    throw err;
  });
  return { output: pkg.output, done };
}

async function render(options: XlsxReportOptions, pkg: ReturnType<typeof createXlsxPackage>, created: Date): Promise<XlsxSummary> {
  const { columns, title, onRows } = options;
  const maxRows = options.maxRowsPerSheet ?? MAX_DATA_ROWS_PER_SHEET;
  const styles = createStyleTable(columns);
  const renderRow = createRowRenderer(styles.columns);
  const iterator = options.rows[Symbol.asyncIterator]();
  const sample: TypedRow[] = [];
  for (let n = options.sampleRows ?? 100; n > 0; n--) {
    const next = await iterator.next();
    if (next.done) break;
    sample.push(next.value);
  }
  const widths = columnWidths(columns, sample.map((r) => r.values));
  const sheets: SheetEntry[] = [];
  let part: PartWriter | undefined;
  let buffer = '';
  let sheetRows = 0;
  let rows = 0;

  const closeSheet = async (): Promise<void> => {
    if (!part) return;
    buffer += sheetEnd(columns.length, sheetRows + 1);
    await part.write(buffer);
    buffer = '';
    await part.close();
    sheets[sheets.length - 1]!.filter = filterRange(columns.length, sheetRows + 1);
    part = undefined;
  };
  const openSheet = async (): Promise<void> => {
    await closeSheet();
    sheets.push({ name: sheetName(title, sheets.length + 1), filter: '' });
    part = await pkg.openPart(sheetPath(sheets.length - 1));
    const expected = options.expectedRows === undefined ? undefined : Math.max(0, Math.min(maxRows, options.expectedRows - rows));
    buffer = sheetStart({
      columns, widths, headerStyles: styles.headers, selected: sheets.length === 1,
      ...(expected === undefined ? {} : { rows: expected }),
    });
    sheetRows = 0;
  };

  await openSheet();
  const write = async (row: TypedRow): Promise<void> => {
    let xml = renderRow(sheetRows + 2, row.values);
    // A UTF-16 unit is at most 3 UTF-8 bytes: roll over before the part could pass its limit.
    if (sheetRows >= maxRows || part!.size + 3 * (buffer.length + xml.length) > MAX_PART_BYTES - 1024) {
      await openSheet();
      xml = renderRow(2, row.values);
    }
    buffer += xml;
    sheetRows += 1;
    rows += 1;
    if (buffer.length >= FLUSH_CHARS) {
      await part!.write(buffer);
      buffer = '';
    }
    if (rows % 1000 === 0) onRows?.(rows);
  };
  try {
    for (const row of sample) await write(row);
    sample.length = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) await write(next.value);
  } finally {
    // Closes the source (an S3 body) when rendering stops early.
    await iterator.return?.();
  }
  await closeSheet();
  onRows?.(rows);

  await pkg.addPart('[Content_Types].xml', contentTypes(sheets.length));
  await pkg.addPart('_rels/.rels', rootRelationships());
  await pkg.addPart('docProps/core.xml', coreProperties(title, created));
  await pkg.addPart('docProps/app.xml', appProperties());
  await pkg.addPart('xl/workbook.xml', workbookXml(sheets));
  await pkg.addPart('xl/_rels/workbook.xml.rels', workbookRelationships(sheets.length));
  await pkg.addPart('xl/styles.xml', styles.xml);
  const { bytesWritten } = await pkg.finish();
  return { rows, sheets: sheets.length, bytes: bytesWritten };
}
