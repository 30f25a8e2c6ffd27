/**
 * Real PDFs, read back the way a person's viewer would: poppler's `pdftotext -layout` for the
 * text on each page (pages end with a form feed) and `pdfinfo` for the page count and size.
 * Both come from Debian's poppler-utils, which the test harness installs.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { withDeadline } from '../../../test/harness/support.js';
import type { Column } from './report-columns.js';
import type { TypedRow } from './report-rows.js';
import { writePdfReport, type PdfReportOptions, type PdfSummary } from './pdf-writer.js';

const run = promisify(execFile);

/** Generous: 2,000 rows take a few seconds on 2 cores; this only stops a hang. */
const RENDER_DEADLINE_MS = 60_000;

interface Context {
  dir: string;
}

interface Rendered {
  file: string;
  summary: PdfSummary;
  bytes: Buffer;
}

interface PdfInfo {
  pages: number;
  width: number;
  height: number;
  title: string;
}

async function poppler(tool: 'pdftotext' | 'pdfinfo', args: string[]): Promise<string> {
  try {
    const { stdout } = await run(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: apt-get install -y poppler-utils (npm test installs it)`);
    }
    throw err;
  }
}

/** The text of each page, in order, laid out as on the page. */
async function pageTexts(file: string): Promise<string[]> {
  const text = await poppler('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  // pdftotext ends every page, the last included, with a form feed.
  const pages = text.split('\f');
  assert.is(pages.pop(), '', 'pdftotext output ends with a form feed');
  return pages;
}

async function pdfInfo(file: string): Promise<PdfInfo> {
  const text = await poppler('pdfinfo', [file]);
  const pages = /^Pages:\s+(\d+)$/m.exec(text);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(text);
  const title = /^Title:\s+(.*)$/m.exec(text);
  assert.ok(pages && size, `pdfinfo output has the page count and size:\n${text}`);
  return { pages: Number(pages[1]), width: Number(size[1]), height: Number(size[2]), title: title?.[1] ?? '' };
}

/** Renders a report, reading its output as an upload would, and keeps the file for poppler. */
async function render(ctx: Context, name: string, options: PdfReportOptions): Promise<Rendered> {
  if (ctx.dir === '') ctx.dir = await mkdtemp(path.join(tmpdir(), 'pdf-writer-test-'));
  const report = writePdfReport(options);
  const [bytes, summary] = await withDeadline(Promise.all([buffer(report.output), report.done]), RENDER_DEADLINE_MS, `the ${name} report`);
  const file = path.join(ctx.dir, `${name}.pdf`);
  await writeFile(file, bytes);
  return { file, summary, bytes };
}

async function* rowsFrom(values: TypedRow['values'][]): AsyncGenerator<TypedRow> {
  let line = 1;
  for (const v of values) yield { line: ++line, values: v };
}

const people: Column[] = [
  { key: 'name', header: 'Customer name', type: 'string' },
  { key: 'amount', header: 'Amount due', type: 'currency' },
  { key: 'day', header: 'Due day', type: 'date' },
  { key: 'paid', header: 'Paid', type: 'boolean' },
];

const ledger: Column[] = [
  { key: 'id', header: 'Invoice', type: 'number' },
  { key: 'customer', header: 'Customer', type: 'string' },
  { key: 'amount', header: 'Amount', type: 'currency' },
  { key: 'day', header: 'Issued', type: 'date' },
];

const customer = (i: number): string => `customer-${String(i).padStart(4, '0')}`;

async function* ledgerRows(n: number): AsyncGenerator<TypedRow> {
  for (let i = 1; i <= n; i++) yield { line: i + 1, values: [i, customer(i), i * 3.25, new Date(Date.UTC(2024, 0, 1 + (i % 300)))] };
}

const pdf = suite<Context>('writePdfReport', { dir: '' });

pdf.after(async (ctx) => {
  if (ctx.dir !== '') await rm(ctx.dir, { recursive: true, force: true });
});

pdf('is a function returning the output stream and a summary promise', async () => {
  assert.type(writePdfReport, 'function');
  const report = writePdfReport({ title: 'Shape', columns: people, rows: rowsFrom([]) });
  assert.type(report.output.pipe, 'function');
  assert.instance(report.done, Promise);
  const [bytes, summary] = await withDeadline(Promise.all([buffer(report.output), report.done]), RENDER_DEADLINE_MS, 'an empty report');
  assert.equal(summary, { rows: 0, pages: 1, bytes: bytes.length });
  assert.is(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
});

pdf('an empty report is one page with the title and the header row', async (ctx) => {
  const { file } = await render(ctx, 'empty', { title: 'Nothing due', columns: people, rows: rowsFrom([]) });
  const [page, ...rest] = await pageTexts(file);
  assert.equal(rest, []);
  assert.match(page!, 'Nothing due');
  assert.match(page!, /Customer name\s+Amount due\s+Due day\s+Paid/);
  assert.match(page!, /^\s*page 1 of 1\s*$/m);
  assert.match(page!, /Paid\s+No rows\./, 'an empty report says so under its header');
});

pdf('shows the title, the generation time, the header and every cell, accents and scripts intact', async (ctx) => {
  const title = 'Créances — Zoë Łódź';
  const { file, summary, bytes } = await render(ctx, 'text', {
    title,
    columns: people,
    rows: rowsFrom([
      ['Zoë Łódź', 1234.5, new Date(Date.UTC(2024, 2, 5)), true],
      ['Ελληνικά', 7, new Date(Date.UTC(2024, 2, 5, 10, 30)), false],
      ['Кириллица', -12.5, null, null],
      ['Ærøskøbing Straße ğüşıöç', 0, new Date(Date.UTC(1999, 11, 31)), true],
    ]),
    generatedAt: new Date(Date.UTC(2024, 5, 1, 12, 0, 5)),
  });
  assert.equal(summary, { rows: 4, pages: 1, bytes: bytes.length });
  const [page] = await pageTexts(file);
  const lines = page!.split('\n');
  assert.is(lines[0]!.trim(), title);
  assert.match(page!, 'Generated 2024-06-01 12:00:05 UTC');
  assert.match(page!, /Customer name\s+Amount due\s+Due day\s+Paid/);
  // Text that only an embedded Unicode font can carry comes back out exactly, cell by cell.
  assert.match(page!, /Zoë Łódź\s+1,234\.50\s+2024-03-05\s+yes/);
  // The column's format (yyyy-mm-dd, as in the XLSX) decides: the time is not shown.
  assert.match(page!, /Ελληνικά\s+7\.00\s+2024-03-05\s+no/);
  assert.match(page!, /Кириллица\s+-12\.50\s*$/m);
  assert.match(page!, /Ærøskøbing Straße ğüşıöç\s+0\.00\s+1999-12-31\s+yes/);
  // Rows come in the order the source gave them.
  const order = ['Zoë', 'Ελληνικά', 'Кириллица', 'Ærøskøbing'].map((word) => page!.indexOf(word));
  assert.equal(order, [...order].sort((a, b) => a - b));
  const info = await pdfInfo(file);
  assert.is(info.title, title);
  assert.ok(info.width < info.height, `four short columns fit a portrait page (${info.width} × ${info.height})`);
});

pdf('cells follow their column format, as in the XLSX; headers sit over their column like its cells', async (ctx) => {
  const { file } = await render(ctx, 'formats', {
    title: 'Formats',
    columns: [
      { key: 'who', header: 'Who', type: 'string' },
      { key: 'count', header: 'Visitors total', type: 'number', format: '#,##0' },
      { key: 'amount', header: 'Paid', type: 'currency', currency: 'EUR' },
      { key: 'at', header: 'At', type: 'date', format: 'yyyy-mm-dd hh:mm' },
    ],
    rows: rowsFrom([
      ['Ada', 1234567.4, 1234.5, new Date(Date.UTC(2024, 2, 5, 9, 7))],
      ['Grace', 8, -3, new Date(Date.UTC(2024, 11, 31, 23, 59))],
    ]),
    generatedAt: new Date(Date.UTC(2024, 5, 1)),
  });
  const [page] = await pageTexts(file);
  assert.match(page!, /Ada\s+1,234,567\s+€1,234\.50\s+2024-03-05 09:07/);
  assert.match(page!, /Grace\s+8\s+-€3\.00\s+2024-12-31 23:59/);
  // Right-aligned: a heading ends where the numbers under it end (word boxes, in points).
  const boxes = await poppler('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
  const right = (word: string): number => {
    const m = new RegExp(`xMax="([\\d.]+)"[^>]*>${word.replace(/[.$]/g, '\\$&')}</word>`).exec(boxes);
    assert.ok(m, `the word ${word} is on the page`);
    return Math.round(Number(m[1]) * 10) / 10;
  };
  assert.is(right('total'), right('1,234,567'), 'the number heading ends with its numbers');
  assert.is(right('Paid'), right('€1,234.50'), 'the amount heading ends with its amounts');
  assert.ok(right('Who') < right('Ada') + 20, 'text columns stay left');
});

pdf('a long report has as many pages as it says, each with the header and its own page number', async (ctx) => {
  const told: number[] = [];
  const { file, summary } = await render(ctx, 'long', {
    title: 'Ledger',
    columns: ledger,
    rows: ledgerRows(2000),
    generatedAt: new Date(Date.UTC(2024, 5, 1)),
    onRows: (n) => told.push(n),
  });
  assert.is(summary.rows, 2000);
  assert.ok(summary.pages > 1, `2,000 rows need more than one page (got ${summary.pages})`);
  assert.is((await pdfInfo(file)).pages, summary.pages);
  const pages = await pageTexts(file);
  assert.is(pages.length, summary.pages);
  pages.forEach((text, i) => {
    assert.match(text, /Invoice\s+Customer\s+Amount\s+Issued/, `header on page ${i + 1}`);
    assert.match(text, new RegExp(`^\\s*page ${i + 1} of ${summary.pages}\\s*$`, 'm'), `"page ${i + 1} of ${summary.pages}" on page ${i + 1}`);
    assert.not.match(text, new RegExp(`^\\s*page (?!${i + 1} of)\\d+`, 'm'), `no other page number on page ${i + 1}`);
  });
  assert.match(pages[0]!, 'Ledger');
  assert.not.match(pages[1]!, 'Generated', 'the title block is on the first page only');
  // Every row is there once, in order, none lost at a page break.
  const seen = pages.join('\n').match(/customer-\d{4}/g) ?? [];
  assert.is(seen.length, 2000);
  assert.ok(seen.every((name, i) => name === customer(i + 1)), 'rows in source order');
  assert.match(pages.join('\n'), /2000\s+customer-2000\s+6,500\.00\s+2024-07-19/);
  assert.is(told[told.length - 1], 2000, 'the last progress report is the full count');
});

pdf('a long cell wraps onto several lines inside its column, and the next row starts below it', async (ctx) => {
  const words = Array.from({ length: 80 }, (_, i) => `word${String(i + 1).padStart(2, '0')}`);
  const { file } = await render(ctx, 'wrapped', {
    title: 'Notes',
    columns: [
      { key: 'id', header: 'Id', type: 'number' },
      { key: 'note', header: 'Note', type: 'string' },
      { key: 'who', header: 'Author', type: 'string' },
    ],
    rows: rowsFrom([
      [1, words.join(' '), 'Zoë'],
      [2, 'short', 'Łukasz'],
    ]),
  });
  const [page] = await pageTexts(file);
  const lines = page!.split('\n');
  const lineOf = (word: string): number => lines.findIndex((l) => new RegExp(`(^|\\s)${word}(\\s|$)`).test(l));
  for (const word of words) assert.ok(lineOf(word) >= 0, `${word} is on the page`);
  const first = lineOf('word01');
  const last = lineOf('word80');
  assert.ok(last > first, `the note spans lines ${first + 1}–${last + 1}`);
  // Words keep their order through the wrapping.
  const positions = words.map(lineOf);
  assert.equal(positions, [...positions].sort((a, b) => a - b));
  // The note stays in its own column: no wrapped line runs into the Author column.
  const authorAt = lines[lineOf('Zoë')]!.indexOf('Zoë');
  assert.is(lineOf('Zoë'), first, 'the author sits on the first line of the row');
  for (const line of lines.slice(first, last + 1)) {
    const end = Math.max(...[...line.matchAll(/word\d\d/g)].map((m) => m.index! + m[0].length));
    assert.ok(end < authorAt, `note text ends before the Author column: ${JSON.stringify(line)}`);
  }
  assert.ok(lineOf('short') > last, 'the second row is drawn below the whole note');
  assert.ok(lineOf('Łukasz') > last);
});

pdf('many wide columns turn the pages sideways', async (ctx) => {
  const columns: Column[] = Array.from({ length: 12 }, (_, i) => ({ key: `c${i}`, header: `Column ${i + 1}`, type: 'string' }));
  const { file, summary } = await render(ctx, 'wide', {
    title: 'Wide',
    columns,
    rows: rowsFrom(Array.from({ length: 3 }, (_, r) => columns.map((_, c) => `row ${r + 1} value of column ${c + 1} padded`))),
  });
  assert.is(summary.pages, 1);
  const info = await pdfInfo(file);
  assert.ok(info.width > info.height, `landscape page expected, pdfinfo says ${info.width} × ${info.height}`);
  assert.is(Math.round(info.width), 842);
  const [page] = await pageTexts(file);
  for (const column of columns) assert.match(page!, column.header);
});

pdf('many one-character columns still fit across the paper', async (ctx) => {
  // 20 tiny columns are narrower than MIN_COLUMN_WIDTH each, but are laid out at that width:
  // 560 pt, more than a portrait line holds, so the page turns instead of cutting off the last ones.
  const columns: Column[] = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, header: String.fromCharCode(65 + i), type: 'number' }));
  const { file } = await render(ctx, 'narrow', { title: 'Flags', columns, rows: rowsFrom([columns.map((_, i) => i + 1)]) });
  const info = await pdfInfo(file);
  assert.ok(info.width > info.height, `landscape page expected, pdfinfo says ${info.width} × ${info.height}`);
  const [page] = await pageTexts(file);
  assert.match(page!, /A\s+B\s+C.*R\s+S\s+T/, 'every header, the last ones included');
  assert.match(page!, /1\s+2\s+3.*18\s+19\s+20/, 'every value, the last ones included');
});

pdf('a row source that fails midway fails the report and its output, without hanging', async () => {
  const failure = new Error('line 152: amount "abc" is not an amount');
  async function* failing(): AsyncGenerator<TypedRow> {
    yield* ledgerRows(150); // past the 100 rows sampled for widths: drawing has begun
    throw failure;
  }
  const report = writePdfReport({ title: 'Broken', columns: ledger, rows: failing() });
  const read = buffer(report.output).then(
    () => 'ended cleanly',
    (err: Error) => err.message,
  );
  const outcome = await withDeadline(
    report.done.then(
      () => undefined,
      (err: unknown) => err,
    ),
    RENDER_DEADLINE_MS,
    'the failing report to settle',
  );
  assert.is(outcome, failure, 'done rejects with the source error itself');
  // The reader sees the error, not a short file that looks like a finished PDF.
  assert.is(await withDeadline(read, RENDER_DEADLINE_MS, 'the output to end'), failure.message);
});

pdf('a row source that fails before the first page fails the same way', async () => {
  const failure = new Error('line 3: not a date');
  async function* failing(): AsyncGenerator<TypedRow> {
    yield* ledgerRows(1);
    throw failure;
  }
  const report = writePdfReport({ title: 'Broken early', columns: ledger, rows: failing() });
  const read = buffer(report.output).then(
    () => 'ended cleanly',
    (err: Error) => err.message,
  );
  const outcome = await withDeadline(
    report.done.then(
      () => undefined,
      (err: unknown) => err,
    ),
    RENDER_DEADLINE_MS,
    'the failing report to settle',
  );
  assert.is(outcome, failure);
  assert.is(await withDeadline(read, RENDER_DEADLINE_MS, 'the output to end'), failure.message);
});

pdf('stops pulling rows once the reader destroys the output', async () => {
  let pulled = 0;
  async function* endless(): AsyncGenerator<TypedRow> {
    for (let i = 0; ; i++) {
      pulled++;
      yield { line: i + 1, values: [i, customer(i), i * 1.5, new Date(Date.UTC(2024, 0, 1))] };
    }
  }
  const report = writePdfReport({ title: 'Abandoned', columns: ledger, rows: endless(), highWaterMark: 16 * 1024 });
  report.output.on('error', () => undefined);
  report.output.once('data', () => report.output.destroy(new Error('upload failed')));
  const outcome = await withDeadline(report.done.then(() => 'finished', (err: Error) => err.message), RENDER_DEADLINE_MS, 'the abandoned report to settle');
  assert.is(outcome, 'upload failed');
  const after = pulled;
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(pulled, after, 'no row is pulled after done rejects');
});

pdf.run();
