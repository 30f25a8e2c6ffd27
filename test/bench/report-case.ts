/**
 * One reporter benchmark case in its own process, so its peak RSS is its own: reads argv[2]
 * as JSON {case: 'xlsx-ours' | 'xlsx-exceljs' | 'pdf-ours' | 'pdf-pdfkit', rows}, renders
 * that many generated rows into a sink that only counts bytes (no disk, no S3) and prints
 * {case, rows, columns, seconds, bytes, peakRssMiB, pages?} as one JSON line.
 */
import { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { CellValue } from '../../services/reporter/src/cell-convert.js';
import { alignOfType, columnText } from '../../services/reporter/src/cell-format.js';
import { A4 } from '../../services/reporter/src/pdf-layout.js';
import type { Column } from '../../services/reporter/src/report-columns.js';
import type { TypedRow } from '../../services/reporter/src/report-rows.js';

type CaseName = 'xlsx-ours' | 'xlsx-exceljs' | 'pdf-ours' | 'pdf-pdfkit';
interface CaseInput { case: CaseName; rows: number }
interface BenchColumn extends Column { value: (row: number, noise: number) => CellValue }

const MiB = 1024 * 1024;
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2020, 0, 1);
const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Ken Thompson', 'Frances Allen', 'Donald Knuth'];
const CITIES = ['Amsterdam', 'Berlin', 'Lisbon', 'Montréal', 'Osaka', 'São Paulo', 'Tallinn', 'Zürich'];

/** Ten columns, every type the reporter knows; the PDF takes the six with `pdf`. */
const COLUMNS: (BenchColumn & { pdf?: true })[] = [
  { key: 'id', header: 'Order', type: 'number', pdf: true, value: (i) => 100_000 + i },
  { key: 'customer', header: 'Customer', type: 'string', pdf: true, value: (i, r) => `${NAMES[r % 8]!} ${i % 997}` },
  { key: 'email', header: 'Email', type: 'string', value: (i, r) => `${NAMES[r % 8]!.split(' ')[0]!.toLowerCase()}.${i}@example.com` },
  { key: 'ordered', header: 'Ordered', type: 'date', pdf: true, value: (i) => new Date(START_MS + (i % 1500) * DAY_MS) },
  { key: 'shipped', header: 'Shipped', type: 'date', format: 'yyyy-mm-dd hh:mm', value: (i, r) => new Date(START_MS + (i % 1500) * DAY_MS + (r % 4320) * 60_000) },
  { key: 'paid', header: 'Paid', type: 'boolean', pdf: true, value: (_, r) => (r & 16) === 0 },
  { key: 'amount', header: 'Amount', type: 'currency', pdf: true, value: (_, r) => (r % 10_000_000) / 100 },
  { key: 'quantity', header: 'Qty', type: 'number', value: (_, r) => 1 + (r % 50) },
  { key: 'city', header: 'City', type: 'string', pdf: true, value: (_, r) => CITIES[(r >>> 8) % 8]! },
  // One in eight empty, some needing XML escapes.
  { key: 'note', header: 'Note', type: 'string', value: (i, r) => (r % 8 === 0 ? null : r % 8 === 1 ? `R&D <${i % 100}>` : `batch ${i >>> 10}`) },
];
const XLSX_COLUMNS: BenchColumn[] = COLUMNS;
const PDF_COLUMNS: BenchColumn[] = COLUMNS.filter((c) => c.pdf);
/** Rows between turns of the event loop, as a source reading ~64 KiB chunks of CSV would give. */
const SOURCE_CHUNK_ROWS = 512;

/** A deterministic 32-bit hash of the row number (lowbias32), so runs draw the same rows. */
function noiseOf(n: number): number {
  let x = n ^ (n >>> 16);
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

async function* benchRows(count: number, columns: readonly BenchColumn[]): AsyncGenerator<TypedRow> {
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % SOURCE_CHUNK_ROWS === 0) await new Promise((resolve) => setImmediate(resolve));
    const noise = noiseOf(i);
    yield { line: i + 2, values: columns.map((c) => c.value(i, noise)) };
  }
}

/** Counts bytes and keeps the first four (the format's magic); consumes as fast as it is fed. */
function byteSink(): Writable & { bytes: number; magic: string } {
  const sink = Object.assign(new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (sink.bytes < 4) sink.magic += chunk.subarray(0, 4 - sink.bytes).toString('latin1');
      sink.bytes += chunk.length;
      callback();
    },
  }), { bytes: 0, magic: '' });
  return sink;
}

// Each case loads only the modules it uses (below), so one case's peak RSS does not carry
// another library's code and data.

async function xlsxOurs(rows: number, sink: Writable): Promise<void> {
  const { writeXlsxReport } = await import('../../services/reporter/src/xlsx-writer.js');
  const report = writeXlsxReport({ title: 'Orders', columns: XLSX_COLUMNS, rows: benchRows(rows, XLSX_COLUMNS) });
  const [, summary] = await Promise.all([pipeline(report.output, sink), report.done]);
  if (summary.rows !== rows) throw new Error(`wrote ${summary.rows} rows, not ${rows}`);
}

async function xlsxExceljs(rows: number, sink: Writable): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Orders', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = XLSX_COLUMNS.map((c) => ({
    header: c.header, key: c.key, width: 14,
    ...(c.type === 'date' ? { style: { numFmt: c.format ?? 'yyyy-mm-dd' } } : c.type === 'currency' ? { style: { numFmt: '#,##0.00' } } : {}),
  }));
  sheet.autoFilter = `A1:J${rows + 1}`;
  for await (const row of benchRows(rows, XLSX_COLUMNS)) sheet.addRow(row.values).commit();
  sheet.commit();
  await workbook.commit();
  await finished(sink);
}

async function pdfOurs(rows: number, sink: Writable): Promise<number> {
  const { writePdfReport } = await import('../../services/reporter/src/pdf-writer.js');
  const report = writePdfReport({ title: 'Orders', columns: PDF_COLUMNS, rows: benchRows(rows, PDF_COLUMNS) });
  const [, summary] = await Promise.all([pipeline(report.output, sink), report.done]);
  if (summary.rows !== rows) throw new Error(`drew ${summary.rows} rows, not ${rows}`);
  return summary.pages;
}

/** The table as most pdfkit code draws it: one text call per cell, a fixed row height, Helvetica. */
async function pdfPdfkit(rows: number, sink: Writable): Promise<number> {
  const { default: PDFDocument } = await import('pdfkit');
  const margin = 36;
  const padding = 3;
  const doc = new PDFDocument({ size: 'A4', margins: { top: margin, bottom: margin, left: margin, right: margin }, autoFirstPage: false, bufferPages: false });
  const piped = pipeline(doc, sink);
  const cellWidth = (A4.width - 2 * margin) / PDF_COLUMNS.length;
  const aligns = PDF_COLUMNS.map((c) => alignOfType(c.type));
  const formatters = PDF_COLUMNS.map((c) => columnText(c));
  let pages = 0;
  let y = 0;
  let rowHeight = 0;
  const drawCells = (texts: readonly string[]): void => {
    texts.forEach((text, i) => doc.text(text, margin + i * cellWidth + padding, y + padding, { width: cellWidth - 2 * padding, align: aligns[i]! }));
    y += rowHeight;
  };
  const newPage = (): void => {
    doc.addPage();
    pages += 1;
    y = margin;
    doc.font('Helvetica-Bold').fontSize(8);
    rowHeight = doc.currentLineHeight(true) + 2 * padding;
    drawCells(PDF_COLUMNS.map((c) => c.header));
    doc.font('Helvetica');
  };
  newPage();
  const bottom = A4.height - margin;
  for await (const row of benchRows(rows, PDF_COLUMNS)) {
    if (y + rowHeight > bottom) newPage();
    drawCells(row.values.map((v, i) => formatters[i]!(v)));
  }
  doc.end();
  await piped;
  return pages;
}

const input = JSON.parse(process.argv[2] ?? '{}') as CaseInput;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const sink = byteSink();
const started = process.hrtime.bigint();
let pages: number | undefined;
switch (input.case) {
  case 'xlsx-ours': await xlsxOurs(input.rows, sink); break;
  case 'xlsx-exceljs': await xlsxExceljs(input.rows, sink); break;
  case 'pdf-ours': pages = await pdfOurs(input.rows, sink); break;
  case 'pdf-pdfkit': pages = await pdfPdfkit(input.rows, sink); break;
  default: throw new Error(`unknown case ${JSON.stringify(input.case)}`);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
const expected = input.case.startsWith('xlsx') ? 'PK\x03\x04' : '%PDF';
if (sink.magic !== expected) throw new Error(`${input.case}: output starts ${JSON.stringify(sink.magic)}, not ${JSON.stringify(expected)}`);
// maxRSS is in KiB (getrusage ru_maxrss on Linux); it catches peaks between two samples.
const peakRssMiB = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024) / MiB;
const columns = input.case.startsWith('xlsx') ? XLSX_COLUMNS.length : PDF_COLUMNS.length;
process.stdout.write(`${JSON.stringify({ case: input.case, rows: input.rows, columns, seconds, bytes: sink.bytes, peakRssMiB, ...(pages === undefined ? {} : { pages }) })}\n`);
