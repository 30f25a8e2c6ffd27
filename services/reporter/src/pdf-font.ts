/**
 * The fonts embedded in PDF reports: DejaVu Sans Condensed (regular and bold) from the
 * `dejavu-fonts-ttf` package. The 14 standard PDF fonts only cover WinAnsi (Latin-1, more or
 * less): Greek, Cyrillic and most accented Latin-Extended text would come out as gaps.
 * DejaVu covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic; pdfkit embeds
 * only the glyphs used (a subset), so a report carries tens of KB of font, not the whole file.
 * The condensed cut fits ~10 % more text per line than DejaVu Sans.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface ReportFonts {
  regular: string;
  bold: string;
}

/** Absolute paths of the TTF files, resolved through node_modules like any dependency. */
export function reportFonts(): ReportFonts {
  return {
    regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf'),
    bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf'),
  };
}
