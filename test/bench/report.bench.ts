/**
 * `npm run bench -- report`: the reporter's writers against the libraries people would
 * otherwise reach for, on the same generated rows into a sink that only counts bytes:
 * - xlsx-ours / xlsx-exceljs: 1,000,000 rows × 10 mixed columns with writeXlsxReport, and with
 *   exceljs's streaming WorkbookWriter (inline strings, styles on).
 * - pdf-ours / pdf-pdfkit: 100,000 rows × 6 columns with writePdfReport, and with plain pdfkit
 *   (Helvetica, one text call per cell, header on each page).
 * Each case runs in its own process (report-case.ts), so peak RSS is the case's own, from the
 * JavaScript run.mjs compiled (as the services run, `node dist/…`). One JSON
 * line per case and round on stdout, then one per pair from the medians of its rounds:
 * speedup (our rows/s over theirs), pageRateRatio (our pages/s over theirs, PDF), rssRatio
 * (our peak over theirs). The two sides of a pair run in interleaved rounds (ours, theirs,
 * ours, …) so a change in the machine's load falls on both: BENCH_PDF_ROUNDS (default 3) and
 * BENCH_XLSX_ROUNDS (default 1). BENCH_XLSX_ROWS (default 1,000,000) and BENCH_PDF_ROWS
 * (default 100,000) size the cases; a filter after `report:` picks cases by name (`report:pdf`).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CaseResult { case: string; rows: number; columns: number; seconds: number; bytes: number; peakRssMiB: number; pages?: number }

const here = path.dirname(fileURLToPath(import.meta.url));
const compiledCase = path.join(here, 'report-case.js');
const caseFilter = (process.argv[2] ?? '').split(':')[1] ?? '';

function rowCount(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    process.stderr.write(`report bench: ${name} must be a whole number of rows ≥ 1, got ${JSON.stringify(raw)}\n`);
    process.exit(1);
  }
  return n;
}
const xlsxRows = rowCount('BENCH_XLSX_ROWS', 1_000_000);
const pdfRows = rowCount('BENCH_PDF_ROWS', 100_000);
const xlsxRounds = rowCount('BENCH_XLSX_ROUNDS', 1);
const pdfRounds = rowCount('BENCH_PDF_ROUNDS', 3);

function runCase(name: string, rows: number): Promise<CaseResult> {
  process.stderr.write(`report bench: ${name}, ${rows} rows…\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiledCase, JSON.stringify({ case: name, rows })], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as CaseResult) : reject(new Error(`case ${name} exited ${code}`))));
  });
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));
const rowsPerSecond = (r: CaseResult): number => r.rows / r.seconds;

function line(r: CaseResult): void {
  process.stdout.write(`${JSON.stringify({
    case: r.case, rows: r.rows, columns: r.columns, seconds: round(r.seconds, 2), rowsPerSecond: Math.round(rowsPerSecond(r)),
    bytes: r.bytes, peakRssMiB: round(r.peakRssMiB, 1),
    ...(r.pages === undefined ? {} : { pages: r.pages, pagesPerSecond: round(r.pages / r.seconds, 1) }),
  })}\n`);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function comparison(name: string, ours: CaseResult[], theirs: CaseResult[]): void {
  const m = (results: CaseResult[], of: (r: CaseResult) => number): number => median(results.map(of));
  const pageRate = (r: CaseResult): number => (r.pages ?? 0) / r.seconds;
  process.stdout.write(`${JSON.stringify({
    case: name, rounds: ours.length,
    speedup: round(m(ours, rowsPerSecond) / m(theirs, rowsPerSecond), 2),
    ...(ours[0]?.pages === undefined ? {} : { pageRateRatio: round(m(ours, pageRate) / m(theirs, pageRate), 2) }),
    rssRatio: round(m(ours, (r) => r.peakRssMiB) / m(theirs, (r) => r.peakRssMiB), 2),
    bytesRatio: round(m(ours, (r) => r.bytes) / m(theirs, (r) => r.bytes), 2),
  })}\n`);
}

const wanted = (name: string): boolean => caseFilter === '' || name.includes(caseFilter);
const pairs = [
  { ours: 'xlsx-ours', theirs: 'xlsx-exceljs', rows: xlsxRows, rounds: xlsxRounds, name: `xlsx-${xlsxRows}x10-vs-exceljs` },
  { ours: 'pdf-ours', theirs: 'pdf-pdfkit', rows: pdfRows, rounds: pdfRounds, name: `pdf-${pdfRows}x6-vs-pdfkit` },
];
let ran = 0;
for (const pair of pairs) {
  const results = new Map<string, CaseResult[]>();
  for (let r = 0; r < pair.rounds; r++) {
    for (const name of [pair.ours, pair.theirs].filter(wanted)) {
      const result = await runCase(name, pair.rows);
      results.set(name, [...(results.get(name) ?? []), result]);
      line(result);
      ran += 1;
    }
  }
  const ours = results.get(pair.ours);
  const theirs = results.get(pair.theirs);
  if (ours && theirs) comparison(pair.name, ours, theirs);
}
if (ran === 0) {
  process.stderr.write(`report bench: no case matches "${caseFilter}" (xlsx-ours, xlsx-exceljs, pdf-ours, pdf-pdfkit)\n`);
  process.exit(1);
}
