/**
 * Drawing the pieces of a PDF table page with pdfkit: the title block, the header row, a
 * data row (wrapped cells, clipped with an ellipsis when a row would not fit a page) and the
 * "page N" footer. Positions are in PDF points from the top-left corner.
 */
import type PDFKit from 'pdfkit';
import { MARGIN, type TableLayout } from './pdf-layout.js';
import type { Column } from './report-columns.js';

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

/** The header row, bold on a light band; returns the y below it. */
export function drawHeader(doc: Doc, style: TableStyle, table: TableLayout, columns: readonly Column[], y: number): number {
  doc.font(style.bold).fontSize(style.headerFontSize);
  const heights = columns.map((c, i) => doc.heightOfString(c.header, { width: table.widths[i]! - 2 * style.padding }));
  const height = Math.max(...heights) + 2 * style.padding;
  doc.rect(MARGIN, y, table.pageWidth - 2 * MARGIN, height).fill('#e8e8e8');
  doc.fillColor('black');
  let x = MARGIN;
  columns.forEach((c, i) => {
    doc.text(c.header, x + style.padding, y + style.padding, { width: table.widths[i]! - 2 * style.padding });
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
}

/** The height a row needs; single-line cells are measured by width alone (cheap). */
export function measureRow(doc: Doc, style: TableStyle, table: TableLayout, cells: readonly string[]): RowMeasure {
  const line = doc.currentLineHeight(true);
  let tallest = line;
  const oneLine = new Array<number | undefined>(cells.length).fill(undefined);
  for (let i = 0; i < cells.length; i++) {
    const text = cells[i]!;
    if (text === '') continue;
    const width = table.widths[i]! - 2 * style.padding;
    if (!text.includes('\n')) {
      const textWidth = doc.widthOfString(text);
      oneLine[i] = textWidth;
      if (textWidth <= width) continue;
      oneLine[i] = undefined;
    }
    tallest = Math.max(tallest, doc.heightOfString(text, { width }));
  }
  return { height: tallest + 2 * style.padding, oneLine };
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
  oneLine?: readonly (number | undefined)[],
): void {
  let x = MARGIN;
  for (let i = 0; i < cells.length; i++) {
    const width = table.widths[i]!;
    const text = cells[i]!;
    const textWidth = oneLine?.[i];
    if (text !== '' && textWidth !== undefined && !clipped) {
      // Fits one line: placed by hand (no width → no line wrapper, no second measurement).
      const left = aligns[i] === 'right' ? x + width - style.padding - textWidth : x + style.padding;
      doc.text(text, left, y + style.padding, { lineBreak: false });
    } else if (text !== '') {
      doc.text(text, x + style.padding, y + style.padding, {
        width: width - 2 * style.padding,
        align: aligns[i]!,
        ...(clipped ? { height: height - 2 * style.padding, ellipsis: true } : {}),
      });
    }
    x += width;
  }
  doc.moveTo(MARGIN, y + height).lineTo(table.pageWidth - MARGIN, y + height).lineWidth(0.25).strokeColor('#cccccc').stroke();
}

/** "page N", centred below the bottom margin (where pdfkit would otherwise start a new page). */
export function drawFooter(doc: Doc, style: TableStyle, table: TableLayout, page: number): void {
  const margins = doc.page.margins;
  const bottom = margins.bottom;
  margins.bottom = 0;
  doc.font(style.regular).fontSize(8).fillColor('#555555');
  doc.text(`page ${page}`, MARGIN, table.pageHeight - MARGIN + 12, { width: table.pageWidth - 2 * MARGIN, align: 'center', lineBreak: false });
  doc.fillColor('black').fontSize(style.fontSize);
  margins.bottom = bottom;
}
