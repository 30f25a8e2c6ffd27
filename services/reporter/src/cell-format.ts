/**
 * One number or date format per column, shared by both renderers: the XLSX stores the code in
 * styles.xml and lets the spreadsheet apply it; the PDF applies the same code here, so a
 * `#,##0` column or a `yyyy-mm-dd hh:mm` column reads the same in both.
 *
 * Format codes are Excel's (ECMA-376 Part 1 §18.8.31 numFmt). The PDF side understands the
 * common subset: up to three `;` sections (positive; negative; zero), digit placeholders
 * `0 # ?`, grouping `,`, decimals `.`, `%`, quoted or `\`-escaped literals, `[$€-407]`
 * currency tokens, colour tokens (ignored), and the date parts y, m, d, h, s, AM/PM. A code
 * outside that subset (or `General`) is shown as the default text of its type.
 */
import type { CellValue } from './cell-convert.js';
import type { Column, ColumnType } from './report-columns.js';

/** Dates as ISO dates read the same in every locale; a column with times shows them (UTC). */
export const DEFAULT_DATE_FORMAT = 'yyyy-mm-dd';
export const DEFAULT_DATETIME_FORMAT = 'yyyy-mm-dd hh:mm';
export const DEFAULT_DATETIME_SECONDS_FORMAT = 'yyyy-mm-dd hh:mm:ss';
/** Amounts: grouping and two decimals; with a `currency` code, its symbol in front. */
export const DEFAULT_CURRENCY_FORMAT = '#,##0.00';
/** Plain numbers: as given (Excel's General), right-aligned. */
export const DEFAULT_NUMBER_FORMAT = 'General';

/** The format code of a column: its own, or its type's default; undefined = General. */
export function formatCodeOf(column: Pick<Column, 'type' | 'format' | 'currency'>): string | undefined {
  if (column.format !== undefined) return column.format;
  if (column.type === 'date') return DEFAULT_DATE_FORMAT;
  if (column.type === 'currency') return currencyFormat(column.currency);
  return undefined;
}

/**
 * `#,##0.00` with the currency's symbol and its usual decimals, from Intl (CLDR):
 * EUR → `"€"#,##0.00`, JPY → `"¥"#,##0`, CHF → `"CHF "#,##0.00`.
 */
export function currencyFormat(code: string | undefined): string {
  if (code === undefined) return DEFAULT_CURRENCY_FORMAT;
  let symbol = code;
  let decimals = 2;
  try {
    const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' });
    symbol = intl.formatToParts(1).find((p) => p.type === 'currency')?.value ?? code;
    decimals = intl.resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // Not a well-formed code (the command schema only lets three capitals through): shown as given.
  }
  const quoted = `"${symbol.replace(/"/g, '')}${/\p{L}$/u.test(symbol) ? ' ' : ''}"`;
  return `${quoted}#,##0${decimals > 0 ? `.${'0'.repeat(decimals)}` : ''}`;
}

/** Numbers, amounts and dates line up on the right, as a spreadsheet shows them. */
export function alignOfType(type: ColumnType): 'left' | 'right' {
  return type === 'number' || type === 'currency' || type === 'date' ? 'right' : 'left';
}

const AMOUNT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A column's cells as the PDF shows them, following the column's format code. */
export function columnText(column: Pick<Column, 'type' | 'format' | 'currency'>): (value: CellValue) => string {
  const code = formatCodeOf(column);
  const compiled = code === undefined ? undefined : compileFormat(code);
  return (value) => {
    if (value === null) return '';
    if (value instanceof Date) return compiled?.date ? compiled.date(value) : defaultDateText(value);
    if (typeof value === 'number') {
      if (compiled?.number) return compiled.number(value);
      return column.type === 'currency' ? AMOUNT.format(value) : String(value);
    }
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    return value;
  };
}

function defaultDateText(value: Date): string {
  const iso = value.toISOString();
  return value.getTime() % 86_400_000 === 0 ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')}`;
}

export interface CompiledFormat {
  number?: (n: number) => string;
  date?: (d: Date) => string;
}

/** A format code as functions; neither when the code is General or outside the subset above. */
export function compileFormat(code: string): CompiledFormat {
  if (/^general$/i.test(code.trim())) return {};
  const sections = splitSections(code);
  const bare = sections[0]!.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  if (/[ydhs]/i.test(bare) || (/m/i.test(bare) && !/[0#?]/.test(bare))) {
    const date = compileDate(sections[0]!);
    return date ? { date } : {};
  }
  const parts = sections.map(parseNumberSection);
  const [positive, negative, zero] = parts;
  if (!positive) return {};
  return {
    number: (n) => {
      if (n === 0 && zero) return zero(0);
      if (n < 0 && negative) return negative(-n);
      if (n < 0) {
        const text = positive(-n);
        // Rounded to nothing ("-0"): shown without the sign, as Excel does.
        return /[1-9]/.test(text) ? `-${text}` : text;
      }
      return positive(n);
    },
  };
}

function splitSections(code: string): string[] {
  const sections: string[] = [''];
  for (const token of code.match(/"[^"]*"|\\.|\[[^\]]*\]|[^"\\[]/g) ?? []) {
    if (token === ';') sections.push('');
    else sections[sections.length - 1] += token;
  }
  return sections;
}

/** One number section: literals around one run of digit placeholders. */
function parseNumberSection(section: string): ((n: number) => string) | undefined {
  let prefix = '';
  let suffix = '';
  let pattern = '';
  let percent = false;
  for (const token of section.match(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|[0#?,.]+|./g) ?? []) {
    let literal: string;
    if (token.startsWith('"')) literal = token.slice(1, -1);
    else if (token.startsWith('\\')) literal = token.slice(1);
    else if (token.startsWith('[')) literal = /^\[\$([^-\]]*)/.exec(token)?.[1] ?? ''; // [$€-407] → €; [Red] → nothing
    else if (token.startsWith('_')) literal = ' ';
    else if (token.startsWith('*')) literal = '';
    else if (/^[0#?,.]+$/.test(token) && /[0#?]/.test(token) && pattern === '') {
      pattern = token;
      continue;
    } else if (token === '%') {
      percent = true;
      literal = '%';
    } else literal = token;
    if (pattern === '') prefix += literal;
    else suffix += literal;
  }
  if (pattern === '') return undefined;
  const [whole = '', fraction = ''] = pattern.split('.');
  // Trailing commas scale by 1,000 each (#,##0, = thousands).
  const scaleCommas = /,+$/.exec(whole)?.[0].length ?? 0;
  const intPart = whole.slice(0, whole.length - scaleCommas);
  const intl = new Intl.NumberFormat('en-US', {
    useGrouping: intPart.includes(','),
    minimumIntegerDigits: Math.max(1, (intPart.match(/0/g) ?? []).length),
    minimumFractionDigits: (fraction.match(/0/g) ?? []).length,
    maximumFractionDigits: (fraction.match(/[0#?]/g) ?? []).length,
  });
  const factor = (percent ? 100 : 1) / 1000 ** scaleCommas;
  return (n) => `${prefix}${intl.format(n * factor)}${suffix}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Date parts in UTC (the reporter stores instants; docs/reporter.md). */
function compileDate(section: string): ((d: Date) => string) | undefined {
  const tokens = section.match(/"[^"]*"|\\.|\[[^\]]*\]|yyyy|yy|m{1,5}|d{1,4}|h{1,2}|s{1,2}|AM\/PM|A\/P|\.0+|./gi) ?? [];
  const twelveHour = tokens.some((t) => /^(AM\/PM|A\/P)$/i.test(t));
  const parts: ((d: Date) => string)[] = [];
  let lastTime = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const lower = token.toLowerCase();
    if (token.startsWith('"')) parts.push(() => token.slice(1, -1));
    else if (token.startsWith('\\')) parts.push(() => token.slice(1));
    else if (token.startsWith('[')) parts.push(() => '');
    else if (lower === 'yyyy') parts.push((d) => String(d.getUTCFullYear()));
    else if (lower === 'yy') parts.push((d) => pad(d.getUTCFullYear() % 100));
    else if (lower.startsWith('m')) {
      // m / mm are minutes right after an hour or right before seconds (Excel's rule).
      const next = tokens.slice(i + 1).find((t) => /^[a-z]/i.test(t));
      const minutes = lower.length <= 2 && (lastTime || /^s/i.test(next ?? ''));
      if (minutes) parts.push((d) => (lower.length === 2 ? pad(d.getUTCMinutes()) : String(d.getUTCMinutes())));
      else if (lower === 'm') parts.push((d) => String(d.getUTCMonth() + 1));
      else if (lower === 'mm') parts.push((d) => pad(d.getUTCMonth() + 1));
      else if (lower === 'mmm') parts.push((d) => MONTHS[d.getUTCMonth()]!.slice(0, 3));
      else if (lower === 'mmmmm') parts.push((d) => MONTHS[d.getUTCMonth()]!.slice(0, 1));
      else parts.push((d) => MONTHS[d.getUTCMonth()]!);
    } else if (lower.startsWith('d')) {
      if (lower === 'd') parts.push((d) => String(d.getUTCDate()));
      else if (lower === 'dd') parts.push((d) => pad(d.getUTCDate()));
      else if (lower === 'ddd') parts.push((d) => DAYS[d.getUTCDay()]!.slice(0, 3));
      else parts.push((d) => DAYS[d.getUTCDay()]!);
    } else if (lower.startsWith('h')) {
      const hour = (d: Date): number => (twelveHour ? ((d.getUTCHours() + 11) % 12) + 1 : d.getUTCHours());
      parts.push((d) => (lower.length === 2 ? pad(hour(d)) : String(hour(d))));
    } else if (lower.startsWith('s')) parts.push((d) => (lower.length === 2 ? pad(d.getUTCSeconds()) : String(d.getUTCSeconds())));
    else if (/^\.0+$/.test(token)) parts.push((d) => `.${pad(d.getUTCMilliseconds(), 3).slice(0, token.length - 1).padEnd(token.length - 1, '0')}`);
    else if (lower === 'am/pm') parts.push((d) => (d.getUTCHours() < 12 ? 'AM' : 'PM'));
    else if (lower === 'a/p') parts.push((d) => (d.getUTCHours() < 12 ? 'A' : 'P'));
    else parts.push(() => token);
    if (/^[a-z]/i.test(token)) lastTime = lower.startsWith('h');
  }
  if (parts.length === 0) return undefined;
  return (d) => parts.map((p) => p(d)).join('');
}
