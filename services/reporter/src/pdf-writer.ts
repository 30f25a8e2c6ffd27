/**
 * A PDF report with pdfkit, streamed: title and generation time, then the table with its
 * header on every page, long cells wrapped, "page N of M" at the foot of each page, cells in
 * their column's format (cell-format.ts, the same codes as the XLSX).
 *
 * M is only known at the end, and pdfkit can only go back to a page with `bufferPages`, which
 * keeps every page in memory: instead every footer shows one form XObject whose content is
 * written at the end (pdf-page-total.ts). pdfkit writes each page out when the next begins
 * and keeps only its cross-reference offsets (tens of bytes per object).
 *
 * One-line cells take the fast text path (pdf-fast-text.ts); the rest goes through pdfkit's
 * own text layout.
 *
 * pdfkit pushes its bytes as it draws, with no backpressure of its own; they go into a
 * PassThrough the upload reads, and drawing waits (between rows) whenever that is full.
 */
import { PassThrough, type Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { alignOfType, columnText } from './cell-format.js';
import { createFastText } from './pdf-fast-text.js';
import { reportFonts } from './pdf-font.js';
import { MARGIN, planTable } from './pdf-layout.js';
import { createPageTotal } from './pdf-page-total.js';
import type { Column } from './report-columns.js';
import type { TypedRow } from './report-rows.js';
import { FOOTER_SIZE, drawFooter, drawHeader, drawNoRows, drawRow, drawTitle, measureRow, type TableStyle } from './pdf-table.js';

/** Rows drawn between two turns of the event loop. */
const YIELD_EVERY_ROWS = 64;

export interface PdfReportOptions {
  title: string;
  columns: readonly Column[];
  rows: AsyncIterable<TypedRow>;
  /** Shown under the title; default now. */
  generatedAt?: Date;
  /** Rows measured for column widths before the first is drawn. Default 100. */
  sampleRows?: number;
  /** Told the rows drawn so far, every 500 rows and at the end. */
  onRows?: (rows: number) => void;
  /** Bytes buffered for the reader before drawing waits. Default 1 MiB. */
  highWaterMark?: number;
  /** The fast text path for one-line cells (pdf-fast-text.ts). Default true; tests compare both. */
  fastText?: boolean;
}

export interface PdfSummary {
  rows: number;
  pages: number;
  bytes: number;
}

export interface PdfReport {
  output: Readable;
  done: Promise<PdfSummary>;
}

export function writePdfReport(options: PdfReportOptions): PdfReport {
  const output = new PassThrough({ highWaterMark: options.highWaterMark ?? 1024 * 1024 });
  const done = render(options, output).catch((err: unknown) => {
    output.destroy(err instanceof Error ? err : new Error(String(err)));
    throw err;
  });
  return { output, done };
}

async function render(options: PdfReportOptions, output: PassThrough): Promise<PdfSummary> {
  const { columns, title, onRows } = options;
  const fonts = reportFonts();
  const iterator = options.rows[Symbol.asyncIterator]();
  try {
    const sample: TypedRow[] = [];
    for (let n = options.sampleRows ?? 100; n > 0; n--) {
      const next = await iterator.next();
      if (next.done) break;
      sample.push(next.value);
    }
    const style: TableStyle = { fontSize: 8, headerFontSize: 8, padding: 3, regular: 'body', bold: 'bold' };
    const measurer = new PDFDocument({ autoFirstPage: false });
    measurer.registerFont('body', fonts.regular).registerFont('bold', fonts.bold);
    const formatters = columns.map((column) => columnText(column));
    const natural = columns.map((column, i) => {
      measurer.font('bold').fontSize(style.headerFontSize);
      let width = measurer.widthOfString(column.header);
      measurer.font('body').fontSize(style.fontSize);
      for (const row of sample) {
        for (const line of formatters[i]!(row.values[i] ?? null).split('\n')) width = Math.max(width, measurer.widthOfString(line));
      }
      // A column never asks for more than 40 % of a landscape page: longer text wraps.
      return Math.min(width, 300) + 2 * style.padding + 1;
    });
    const table = planTable(natural);
    const texts = (row: TypedRow): string[] => formatters.map((format, i) => format(row.values[i] ?? null));
    const aligns = columns.map((c) => alignOfType(c.type));

    const doc = new PDFDocument({
      size: 'A4',
      layout: table.layout,
      margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
      autoFirstPage: false,
      bufferPages: false,
      info: { Title: title, Producer: 'Artifact Pipeline', Creator: 'Artifact Pipeline reporter' },
    });
    let bytes = 0;
    doc.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      output.write(chunk);
    });
    const ended = new Promise<void>((resolve, reject) => {
      doc.on('end', resolve);
      doc.on('error', reject);
    });
    doc.registerFont('body', fonts.regular).registerFont('bold', fonts.bold);
    const pageTotal = createPageTotal(doc, style.regular, FOOTER_SIZE, 0x55 / 0xff);
    const fast = options.fastText === false ? undefined : createFastText(doc, style.regular);

    let pages = 0;
    let y = 0;
    const bottom = table.pageHeight - MARGIN;
    const newPage = (): void => {
      forgetWordLayouts(doc);
      doc.addPage();
      pages += 1;
      drawFooter(doc, style, table, pages, pageTotal);
      y = pages === 1 ? drawTitle(doc, style, table, title, options.generatedAt ?? new Date()) : MARGIN;
      y = drawHeader(doc, style, table, columns, aligns, y);
    };
    newPage();
    const tallest = bottom - y;
    let rows = 0;
    const draw = async (row: TypedRow): Promise<void> => {
      // The reader gave up (the upload failed or was aborted): stop pulling rows.
      if (output.destroyed) throw output.errored ?? new Error('the PDF output was closed before the report was finished');
      const cells = texts(row);
      const measured = measureRow(doc, style, table, cells, fast);
      const clipped = measured.height > tallest;
      const height = clipped ? tallest : measured.height;
      if (y + height > bottom) newPage();
      drawRow(doc, style, table, cells, aligns, y, height, clipped, measured, fast);
      y += height;
      rows += 1;
      if (rows % 500 === 0) onRows?.(rows);
      if (output.writableNeedDrain) await drained(output);
      // pdfkit hands its bytes on in process.nextTick callbacks, which never run while rows
      // come from a source that resolves in microtasks only (inline rows): without a turn of
      // the event loop now and then, the bytes would pile up inside pdfkit unseen.
      else if (rows % YIELD_EVERY_ROWS === 0) await new Promise((resolve) => setImmediate(resolve));
    };
    for (const row of sample) await draw(row);
    sample.length = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) await draw(next.value);
    onRows?.(rows);
    if (rows === 0) drawNoRows(doc, style, y);
    pageTotal.finish(pages);
    doc.end();
    await ended;
    await new Promise<void>((resolve, reject) => output.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return { rows, pages, bytes };
  } finally {
    await iterator.return?.();
  }
}

/**
 * pdfkit caches the glyph layout of every distinct word for the life of the document
 * (EmbeddedFont#layoutCache, pdfkit 0.20): with unique values (ids, amounts) that is memory
 * growing with the row count. Turning the cache off (`fontLayoutCache: false`) makes drawing
 * about 8× slower, so it is emptied at each page instead: repeated words stay cheap within
 * a page, and the cache holds one page's words at most. Reaches into pdfkit's internals
 * (`_fontFamilies`); if they change, this does nothing and memory grows again (the benchmark shows it).
 */
function forgetWordLayouts(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: unknown }> })._fontFamilies;
  for (const font of Object.values(families ?? {})) {
    if (font.layoutCache) font.layoutCache = Object.create(null);
  }
}

/** Resolves when the reader has caught up, or rejects once the output is gone. */
function drained(output: PassThrough): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      output.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      output.off('drain', onDrain);
      reject(new Error('the PDF output was closed before the report was finished'));
    };
    output.once('drain', onDrain);
    output.once('close', onClose);
  });
}
