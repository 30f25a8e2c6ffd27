/**
 * Small pieces of SpreadsheetML (ECMA-376 Part 1 §18) text: escaping, cell references, the
 * date serial numbers Excel stores, and sheet names Excel accepts.
 */

/**
 * Characters XML 1.0 (§2.2 Char) forbids: C0 controls other than tab, LF, CR, and U+FFFE/FFFF.
 * A lone surrogate (not half of a valid pair) becomes U+FFFD, as String#toWellFormed does.
 */
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEEDS_WORK = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

/**
 * Text safe inside an element or a double-quoted attribute. A carriage return is written as
 * the reference `&#13;`: a literal CR (or CRLF) is read back as LF by every XML parser
 * (XML 1.0 §2.11, end-of-line handling), so a cell's "a\r\nb" would come back as "a\nb".
 */
export function escapeXml(text: string): string {
  if (!NEEDS_WORK.test(text) && !text.includes('"')) return text;
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

/** Column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA, 16383 → XFD. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    name = String.fromCharCode(65 + rest) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** Milliseconds from 1970-01-01 to Excel's day 0 (1899-12-30, the 1900 date system, §18.17.4.1). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * The serial number Excel stores for an instant: days since 1899-12-30, the fraction being
 * the time of day. Written in UTC: a cell has no zone. Serials from 61 on match Excel's
 * (which counts the non-existent 1900-02-29); earlier dates are off by one in Excel itself.
 */
export function excelSerial(date: Date): number {
  return (date.getTime() - EXCEL_EPOCH_MS) / DAY_MS;
}

/** Excel's sheet name rules: 1–31 characters, none of : \ / ? * [ ], not starting or ending with '. */
export const MAX_SHEET_NAME = 31;

export function sheetName(title: string, part = 1): string {
  const cleaned = title.replace(/[:\\/?*[\]\x00-\x1F]/g, ' ').replace(/\s+/g, ' ').trim().replace(/^'+|'+$/g, '');
  const base = cleaned === '' || cleaned.toLowerCase() === 'history' ? 'Report' : cleaned;
  const suffix = part === 1 ? '' : ` (${part})`;
  return `${Array.from(base).slice(0, MAX_SHEET_NAME - suffix.length).join('').trimEnd()}${suffix}`;
}
