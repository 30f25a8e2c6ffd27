/**
 * "page N of M" without keeping pages: every footer shows M through one form XObject
 * (ISO 32000-1 §8.10), a reference whose content — the digits of M — is written only when the
 * document ends. Pages are still written out as the next begins (no `bufferPages`); only this
 * one small object waits. The digits use the embedded font, whose subset is written after it.
 *
 * Uses pdfkit internals (0.20): the current EmbeddedFont (`_font`: `id`, `ref()`, `encode()`)
 * and the page's resource dictionaries (`page.xobjects`). The PDF tests read the footers back
 * with pdftotext, so a change there shows.
 */
import type PDFKit from 'pdfkit';

type Doc = PDFKit.PDFDocument;

/** The parts of pdfkit's EmbeddedFont used here and by the fast text path (pdf-fast-text.ts). */
export interface PdfKitFont {
  id: string;
  ascender: number;
  ref(): unknown;
  encode(text: string): [string[], { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }[]];
}

export const currentFont = (doc: Doc): PdfKitFont => (doc as unknown as { _font: PdfKitFont })._font;

/** pdfkit's number rounding in content streams (PDFObject.number: 6 decimals). */
export const pdfNumber = (n: number): number => Math.round(n * 1e6) / 1e6;

/** TJ operands for encoded glyphs, with the kerning adjustments pdfkit writes. */
export function tjOperands(encoded: readonly string[], positions: readonly { xAdvance: number; advanceWidth: number }[]): string {
  const commands: string[] = [];
  let last = 0;
  for (let i = 0; i < positions.length; i++) {
    const pos = positions[i]!;
    if (pos.xAdvance - pos.advanceWidth !== 0 || i === positions.length - 1) {
      commands.push(`<${encoded.slice(last, i + 1).join('')}> ${pdfNumber(-(pos.xAdvance - pos.advanceWidth))}`);
      last = i + 1;
    }
  }
  return `[${commands.join(' ')}]`;
}

export interface PageTotal {
  /** Shows M with its baseline-left at (x, baseline), in pdfkit's top-down coordinates. */
  place(x: number, baseline: number): void;
  /** Writes M into the object; call once, after the last page and before `doc.end()`. */
  finish(pages: number): void;
}

const NAME = 'PageTotal';

export function createPageTotal(doc: Doc, fontName: string, fontSize: number, gray: number): PageTotal {
  doc.font(fontName);
  const font = currentFont(doc);
  const ref = doc.ref({
    Type: 'XObject',
    Subtype: 'Form',
    // Room for any page count at this size: ten digits are under 6 em wide.
    BBox: [0, -fontSize, 10 * fontSize, 2 * fontSize],
    Resources: { Font: { [font.id]: font.ref() } },
  } as unknown as Record<string, unknown>) as unknown as { end(content: string): void };
  return {
    place(x, baseline) {
      (doc.page as unknown as { xobjects: Record<string, unknown> }).xobjects[NAME] = ref;
      doc.addContent(`q 1 0 0 -1 ${pdfNumber(x)} ${pdfNumber(baseline)} cm /${NAME} Do Q`);
    },
    finish(pages) {
      const [encoded, positions] = font.encode(String(pages));
      const g = pdfNumber(gray);
      ref.end(`${g} ${g} ${g} rg BT /${font.id} ${pdfNumber(fontSize)} Tf 0 0 Td ${tjOperands(encoded, positions)} TJ ET`);
    },
  };
}
