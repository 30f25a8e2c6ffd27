/**
 * The fast text path (pdf-fast-text.ts) writes glyphs itself, relying on pdfkit internals;
 * this guards it: the same report rendered with and without it must rasterise to the same
 * pixels (poppler's pdftoppm, 110 dpi) and extract to the same text (pdftotext), page by page,
 * over Latin with kerning pairs, accented Latin, Cyrillic, Greek, CJK (DejaVu has no CJK
 * glyphs: the fallback glyph), text that needs full shaping (combining marks, Hebrew, Arabic,
 * ligature candidates), right-aligned numbers and wrapped cells.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { withDeadline } from '../../../test/harness/support.js';
import type { Column } from './report-columns.js';
import type { TypedRow } from './report-rows.js';
import { writePdfReport } from './pdf-writer.js';

const run = promisify(execFile);

const TEXTS = [
  'AVATAR Wave To. Ty, LT VA yA', // kerning pairs
  'Zoë Łódź — Ærøskøbing Straße ğüşıöç', // accented Latin
  'Москва, Кириллица, ЁЖИК', // Cyrillic
  'Ελληνικά, Αθήνα, ΆΈΉ', // Greek
  '東京 大阪 한국어 かな', // CJK: DejaVu's fallback glyph
  'office affluent fjord', // ligature candidates
  'Cafe\u0301 n\u0303o', // combining marks: shaped the slow way
  'שלום עולם مرحبا', // scripts that need shaping
  'tab\tand  double  spaces ', // word boundaries as pdfkit has them
];

const columns: Column[] = [
  { key: 'id', header: 'Id', type: 'number', format: '#,##0' },
  { key: 'text', header: 'Text', type: 'string' },
  { key: 'amount', header: 'Amount', type: 'currency', currency: 'EUR' },
  { key: 'day', header: 'When', type: 'date', format: 'yyyy-mm-dd hh:mm' },
];

async function* rows(): AsyncGenerator<TypedRow> {
  for (let i = 0; i < 180; i++) {
    const text = i % 23 === 5 ? `${TEXTS.join(' ')} — a cell long enough to wrap onto several lines` : `${TEXTS[i % TEXTS.length]!} ${i}`;
    yield { line: i + 2, values: [i * 1013, text, (i * 98_765) / 100 - 500, new Date(Date.UTC(2024, 0, 1 + i, i % 24, i % 60))] };
  }
}

async function render(dir: string, name: string, fastText: boolean): Promise<{ file: string; bytes: Buffer }> {
  const report = writePdfReport({ title: 'Equality — Zoë', columns, rows: rows(), fastText, generatedAt: new Date(Date.UTC(2024, 5, 1)) });
  const [bytes] = await withDeadline(Promise.all([buffer(report.output), report.done]), 60_000, `the ${name} report`);
  const file = path.join(dir, `${name}.pdf`);
  await writeFile(file, bytes);
  return { file, bytes };
}

async function rasterise(file: string, dir: string, prefix: string): Promise<Buffer[]> {
  await run('pdftoppm', ['-r', '110', '-png', file, path.join(dir, prefix)]).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT' ? new Error('pdftoppm is not installed: apt-get install -y poppler-utils (npm test installs it)') : err;
  });
  const names = (await readdir(dir)).filter((n) => n.startsWith(`${prefix}-`) && n.endsWith('.png')).sort();
  return Promise.all(names.map((n) => readFile(path.join(dir, n))));
}

const equality = suite<{ dir: string }>('writePdfReport fast text path', { dir: '' });
equality.before(async (ctx) => {
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'pdf-equality-'));
});
equality.after(async (ctx) => {
  await rm(ctx.dir, { recursive: true, force: true });
});

equality('is the writer, with a switch for the fast path', () => assert.type(writePdfReport, 'function'));

equality('pages of the fast and the slow path rasterise to the same pixels and extract to the same text', async ({ dir }) => {
  const fast = await render(dir, 'fast', true);
  const slow = await render(dir, 'slow', false);
  assert.ok(fast.bytes.length < slow.bytes.length, `the fast path was taken: fewer content bytes (${fast.bytes.length} vs ${slow.bytes.length})`);
  const fastPages = await rasterise(fast.file, dir, 'fast');
  const slowPages = await rasterise(slow.file, dir, 'slow');
  assert.ok(slowPages.length >= 3, `several pages (${slowPages.length})`);
  assert.is(fastPages.length, slowPages.length, 'as many pages');
  const differing = fastPages.map((png, i) => (png.equals(slowPages[i]!) ? 0 : i + 1)).filter((n) => n > 0);
  assert.equal(differing, [], 'pages whose pixels differ');
  const text = async (file: string): Promise<string> => (await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 1 << 26 })).stdout;
  assert.fixture(await text(fast.file), await text(slow.file));
});

equality.run();
