/**
 * Where a PDF table's columns go: portrait A4 when the columns fit at their natural width,
 * landscape when they only fit sideways, and when even that is too narrow, widths shared out
 * so that narrow columns keep their width and wide ones wrap. Pure: widths in, widths out.
 */

/** A4 in PDF points (1/72 in): 595.28 × 841.89 (ISO 216). */
export const A4 = { width: 595.28, height: 841.89 } as const;
export const MARGIN = 36;
/** No column is squeezed below this, in points (about 6 characters at 8 pt). */
export const MIN_COLUMN_WIDTH = 28;

export interface TableLayout {
  layout: 'portrait' | 'landscape';
  pageWidth: number;
  pageHeight: number;
  /** Column widths in points, summing to the width between the margins. */
  widths: number[];
}

/** `natural`: the width each column would like (its widest sampled cell, padding included). */
export function planTable(natural: readonly number[]): TableLayout {
  // Measured as fitWidths will lay them out: a column narrower than MIN_COLUMN_WIDTH still takes that much.
  const total = natural.reduce((a, b) => a + Math.max(MIN_COLUMN_WIDTH, b), 0);
  const portraitWidth = A4.width - 2 * MARGIN;
  const landscape = total > portraitWidth;
  const [pageWidth, pageHeight] = landscape ? [A4.height, A4.width] : [A4.width, A4.height];
  const available = pageWidth - 2 * MARGIN;
  return { layout: landscape ? 'landscape' : 'portrait', pageWidth, pageHeight, widths: fitWidths(natural, available) };
}

/**
 * Shares `available` among the columns. When everything fits, the spare room is spread in
 * proportion to the natural widths. Otherwise columns below a fair share keep their natural
 * width and the rest split what is left equally (water filling), never below MIN_COLUMN_WIDTH.
 */
export function fitWidths(natural: readonly number[], available: number): number[] {
  const n = natural.length;
  if (n === 0) return [];
  const wanted = natural.map((w) => Math.max(MIN_COLUMN_WIDTH, w));
  const total = wanted.reduce((a, b) => a + b, 0);
  if (total <= available) return wanted.map((w) => (w * available) / total);
  const widths = new Array<number>(n).fill(0);
  let open = wanted.map((_, i) => i);
  let room = available;
  for (;;) {
    const share = room / open.length;
    const small = open.filter((i) => wanted[i]! <= share);
    if (small.length === 0) {
      for (const i of open) widths[i] = Math.max(MIN_COLUMN_WIDTH, share);
      break;
    }
    for (const i of small) {
      widths[i] = wanted[i]!;
      room -= wanted[i]!;
    }
    open = open.filter((i) => wanted[i]! > share);
    if (open.length === 0) break;
  }
  return widths;
}
