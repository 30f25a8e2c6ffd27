/**
 * Drawing the pieces of a PDF table page with pdfkit: the title block, the header row, a
 * data row (wrapped cells, clipped with an ellipsis when a row would not fit a page), the
 * "page N of M" footer and the line of an empty report. Positions are in PDF points from the
 * top-left corner.
 */
import type PDFKit from 'pdfkit';
import type { FastLine, FastText } from './pdf-fast-text.js';
import { MARGIN, type TableLayout } from './pdf-layout.js';
import { currentFont, type PageTotal } from './pdf-page-total.js';
import type { Column } from './report-columns.js';

type Align = 'left' | 'right';

export interface TableStyle {
  fontSize: number;
  headerFontSize: number;
  /** Space around the text inside a cell, in points. */
  padding: number;
  regular: string;
  bold: string;
}

type Doc = PDFKit.PDFDocument;

/** Title and generation time at the top of the first page; returns the y below them. */
export function drawTitle(doc: Doc, style: TableStyle, table: TableLayout, title: string, generatedAt: Date): number {
  const width = table.pageWidth - 2 * MARGIN;
  doc.font(style.bold).fontSize(16).text(title, MARGIN, MARGIN, { width });
  const when = `Generated ${generatedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  doc.font(style.regular).fontSize(9).fillColor('#555555').text(when, MARGIN, doc.y + 2, { width });
  doc.fillColor('black');
  return doc.y + 10;
}

/** The header row, bold on a light band, each heading aligned like its column; returns the y below it. */
export function drawHeader(doc: Doc, style: TableStyle, table: TableLayout, columns: readonly Column[], aligns: readonly Align[], y: number): number {
  doc.font(style.bold).fontSize(style.headerFontSize);
  const heights = columns.map((c, i) => doc.heightOfString(c.header, { width: table.widths[i]! - 2 * style.padding }));
  const height = Math.max(...heights) + 2 * style.padding;
  doc.rect(MARGIN, y, table.pageWidth - 2 * MARGIN, height).fill('#e8e8e8');
  doc.fillColor('black');
  let x = MARGIN;
  columns.forEach((c, i) => {
    doc.text(c.header, x + style.padding, y + style.padding, { width: table.widths[i]! - 2 * style.padding, align: aligns[i] ?? 'left' });
    x += table.widths[i]!;
  });
  doc.font(style.regular).fontSize(style.fontSize);
  return y + height;
}

export interface RowMeasure {
  height: number;
  /**
   * Per cell: its text width when it fits on one line, so drawing can place it directly
   * instead of running pdfkit's line wrapper, which measures every word again (the costly
   * part of a row); undefined for cells that wrap.
   */
  oneLine: (number | undefined)[];
  /** Per one-line cell: its glyphs when the fast text path can write it (pdf-fast-text.ts). */
  fast: (FastLine | undefined)[];
}

/** The height a row needs; single-line cells are measured by width alone (cheap). */
export function measureRow(doc: Doc, style: TableStyle, table: TableLayout, cells: readonly string[], fast?: FastText): RowMeasure {
  const line = doc.currentLineHeight(true);
  let tallest = line;
  const oneLine = new Array<number | undefined>(cells.length).fill(undefined);
  const glyphs = new Array<FastLine | undefined>(cells.length).fill(undefined);
  const scale = style.fontSize / 1000;
  for (let i = 0; i < cells.length; i++) {
    const text = cells[i]!;
    if (text === '') continue;
    const width = table.widths[i]! - 2 * style.padding;
    if (!text.includes('\n')) {
      const quick = fast?.line(text);
      const textWidth = quick === undefined ? doc.widthOfString(text) : quick.width * scale;
      if (textWidth <= width) {
        oneLine[i] = textWidth;
        glyphs[i] = quick;
        continue;
      }
    }
    tallest = Math.max(tallest, doc.heightOfString(text, { width }));
  }
  return { height: tallest + 2 * style.padding, oneLine, fast: glyphs };
}

export function drawRow(
  doc: Doc,
  style: TableStyle,
  table: TableLayout,
  cells: readonly string[],
  aligns: readonly ('left' | 'right')[],
  y: number,
  height: number,
  clipped: boolean,
  measured?: Pick<RowMeasure, 'oneLine' | 'fast'>,
  fast?: FastText,
): void {
  let x = MARGIN;
  const quick: { line: FastLine; x: number; top: number }[] = [];
  for (let i = 0; i < cells.length; i++) {
    const width = table.widths[i]!;
    const text = cells[i]!;
    const textWidth = measured?.oneLine[i];
    if (text !== '' && textWidth !== undefined && !clipped) {
      // Fits one line: placed by hand (no width → no line wrapper, no second measurement).
      const left = aligns[i] === 'right' ? x + width - style.padding - textWidth : x + style.padding;
      const line = measured?.fast[i];
      if (line !== undefined && fast !== undefined) quick.push({ line, x: left, top: y + style.padding });
      else doc.text(text, left, y + style.padding, { lineBreak: false });
    } else if (text !== '') {
      doc.text(text, x + style.padding, y + style.padding, {
        width: width - 2 * style.padding,
        align: aligns[i]!,
        ...(clipped ? { height: height - 2 * style.padding, ellipsis: true } : {}),
      });
    }
    x += width;
  }
  // The row's one-line cells as one text object.
  fast?.draw(quick, style.fontSize);
  doc.moveTo(MARGIN, y + height).lineTo(table.pageWidth - MARGIN, y + height).lineWidth(0.25).strokeColor('#cccccc').stroke();
}

/**
 * "page N of M", centred below the bottom margin (where pdfkit would otherwise start a new
 * page); M is the document's page total, filled in at the end (pdf-page-total.ts). Centred as
 * if M had as many digits as N.
 */
export function drawFooter(doc: Doc, style: TableStyle, table: TableLayout, page: number, total: PageTotal): void {
  const margins = doc.page.margins;
  const bottom = margins.bottom;
  margins.bottom = 0;
  doc.font(style.regular).fontSize(FOOTER_SIZE).fillColor(FOOTER_GRAY);
  const lead = `page ${page} of `;
  const leadWidth = doc.widthOfString(lead);
  const x = table.pageWidth / 2 - (leadWidth + doc.widthOfString(String(page))) / 2;
  const top = table.pageHeight - MARGIN + 12;
  doc.text(lead, x, top, { lineBreak: false });
  total.place(x + leadWidth, top + (currentFont(doc).ascender / 1000) * FOOTER_SIZE);
  doc.fillColor('black').fontSize(style.fontSize);
  margins.bottom = bottom;
}

export const FOOTER_SIZE = 8;
/** The footer's and the empty report's note: a mid grey. */
export const FOOTER_GRAY = '#555555';

/** The line under the header of a report without rows; returns the y below it. */
export function drawNoRows(doc: Doc, style: TableStyle, y: number): number {
  doc.font(style.regular).fontSize(style.fontSize).fillColor(FOOTER_GRAY);
  doc.text('No rows.', MARGIN + style.padding, y + style.padding, { lineBreak: false });
  doc.fillColor('black');
  return y + doc.currentLineHeight(true) + 2 * style.padding;
}
