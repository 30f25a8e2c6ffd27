/**
 * The PDF table's fast text path: one-line cells measured and written without shaping each
 * word. pdfkit lays out every word with fontkit (`font.layout`), which rebuilds its shaping
 * plan on every call; with ids, amounts and dates nearly every cell is a new word, and that
 * was most of a report's time. Here each character is shaped once (its glyph, its advance)
 * and each pair of characters once (its kerning), and a row's one-line cells go out as one
 * text object (`BT … ET`) instead of eight operators per cell.
 *
 * The result is what pdfkit would write for the same text: the same glyphs (pdfkit's own
 * subset and ToUnicode map are filled through `encode`), the same advances and kerning, word
 * boundaries at spaces and tabs as pdfkit's layout has them (no kerning across a space). Text
 * the shortcut cannot vouch for goes the slow way, through `doc.text`: characters outside
 * the scripts below (Hebrew, Arabic, Indic… which need shaping), combining marks, surrogate
 * pairs, and any pair of characters that fontkit turns into something other than their two
 * glyphs side by side (a ligature, a mark attached, an offset).
 *
 * Relies on pdfkit 0.20 internals (the current EmbeddedFont: `id`, `ref()`, `encode()`,
 * `font` = the fontkit font; `page.fonts`), guarded by pdf-render-equality.test.ts, which
 * compares rasterised pages of both paths.
 */
import type PDFKit from 'pdfkit';
import { currentFont, pdfNumber, tjOperands, type PdfKitFont } from './pdf-page-total.js';

type Doc = PDFKit.PDFDocument;

interface FontkitRun {
  glyphs: { id: number }[];
  positions: { xAdvance: number; xOffset: number; yOffset: number }[];
}
interface EmbeddedFont extends PdfKitFont {
  scale: number;
  font: { layout(text: string): FontkitRun };
}

interface Glyph {
  id: number;
  hex: string;
  /** Advance in pdfkit's units (1/1000 em). */
  advance: number;
}

/** One line of text as pdfkit would encode it. */
export interface FastLine {
  hex: string[];
  positions: { xAdvance: number; advanceWidth: number }[];
  /** In 1/1000 em. */
  width: number;
}

/** Pair kernings kept at most (then forgotten): a text of many distinct characters stays bounded. */
const MAX_PAIRS = 100_000;
const NOT_SIMPLE = null;

/** Characters whose glyph does not depend on their neighbours beyond pair kerning. */
function isSimpleChar(code: number): boolean {
  if (code < 0x0300) return code >= 0x20 || code === 0x09;
  if (code < 0x0370) return false; // combining diacritical marks
  if (code < 0x0483) return true; // Greek, Cyrillic
  if (code < 0x048a) return false; // Cyrillic combining marks
  if (code < 0x0530) return true; // Cyrillic supplement
  if (code >= 0x1e00 && code < 0x2000) return true; // Latin extended additional, Greek extended
  if (code >= 0x2000 && code < 0x20d0) return true; // punctuation, super/subscripts, currency
  if (code >= 0x2100 && code < 0x2c00) return true; // letterlike, arrows, maths, shapes
  if (code >= 0x3000 && code < 0xa000) return true; // CJK punctuation, kana, ideographs
  if (code >= 0xac00 && code < 0xd7a4) return true; // Hangul syllables
  return code >= 0xff00 && code < 0xffef; // full-width forms
}

export interface FastText {
  /** The line as pdfkit would encode it, or undefined when it needs full shaping. */
  line(text: string): FastLine | undefined;
  /**
   * Writes one text object with each `cells` entry at (x, top) in pdfkit's top-down
   * coordinates, at `fontSize`, as `doc.text(text, x, top, {lineBreak: false})` would.
   */
  draw(cells: readonly { line: FastLine; x: number; top: number }[], fontSize: number): void;
}

export function createFastText(doc: Doc, fontName: string): FastText {
  doc.font(fontName);
  const font = currentFont(doc) as EmbeddedFont;
  const glyphs = new Map<string, Glyph | null>();
  const pairs = new Map<string, number | null>();

  const glyphOf = (char: string): Glyph | null => {
    let glyph = glyphs.get(char);
    if (glyph !== undefined) return glyph;
    glyph = NOT_SIMPLE;
    if (isSimpleChar(char.charCodeAt(0))) {
      const run = font.font.layout(char);
      const position = run.positions[0];
      if (run.glyphs.length === 1 && position && position.xOffset === 0 && position.yOffset === 0) {
        // pdfkit's encode puts the glyph in the subset and its width and ToUnicode entry in place.
        const [hex, positions] = font.encode(char);
        if (hex.length === 1 && positions.length === 1) glyph = { id: run.glyphs[0]!.id, hex: hex[0]!, advance: position.xAdvance * font.scale };
      }
    }
    glyphs.set(char, glyph);
    return glyph;
  };

  /** Extra advance of `a` before `b` (kerning), or null when the pair is shaped as something else. */
  const kerning = (a: string, b: string, ga: Glyph, gb: Glyph): number | null => {
    const key = a + b;
    let kern = pairs.get(key);
    if (kern !== undefined) return kern;
    const run = font.font.layout(key);
    const [pa, pb] = run.positions;
    kern =
      run.glyphs.length === 2 && run.glyphs[0]!.id === ga.id && run.glyphs[1]!.id === gb.id && pa && pb &&
      pa.xOffset === 0 && pa.yOffset === 0 && pb.xOffset === 0 && pb.yOffset === 0 && pb.xAdvance * font.scale === gb.advance
        ? pa.xAdvance * font.scale - ga.advance
        : NOT_SIMPLE;
    if (pairs.size >= MAX_PAIRS) pairs.clear();
    pairs.set(key, kern);
    return kern;
  };

  const line = (text: string): FastLine | undefined => {
    const hex: string[] = new Array<string>(text.length);
    const positions: { xAdvance: number; advanceWidth: number }[] = new Array(text.length);
    let width = 0;
    let previous: Glyph | null = null;
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      const glyph = glyphOf(char);
      if (glyph === null) return undefined;
      if (previous !== null) {
        // pdfkit shapes word by word, a word ending after a space or tab: no kerning across one.
        const before = text[i - 1]!;
        if (before !== ' ' && before !== '\t') {
          const kern = kerning(before, char, previous, glyph);
          if (kern === null) return undefined;
          if (kern !== 0) {
            positions[i - 1]!.xAdvance += kern;
            width += kern;
          }
        }
      }
      hex[i] = glyph.hex;
      positions[i] = { xAdvance: glyph.advance, advanceWidth: glyph.advance };
      width += glyph.advance;
      previous = glyph;
    }
    return { hex, positions, width };
  };

  return {
    line,
    draw(cells, fontSize) {
      if (cells.length === 0) return;
      const page = doc.page as unknown as { height: number; fonts: Record<string, unknown> };
      page.fonts[font.id] ??= font.ref();
      const dy = (font.ascender / 1000) * fontSize;
      let content = `q 1 0 0 -1 0 ${pdfNumber(page.height)} cm BT /${font.id} ${pdfNumber(fontSize)} Tf`;
      for (const { line: l, x, top } of cells) {
        content += ` 1 0 0 1 ${pdfNumber(x)} ${pdfNumber(page.height - top - dy)} Tm ${tjOperands(l.hex, l.positions)} TJ`;
      }
      doc.addContent(`${content} ET Q`);
    },
  };
}
