/**
 * Typed reports end to end (SQS, moto S3, Redis; the reporter in process), checked as a user
 * would: the XLSX with openpyxl and with LibreOffice Calc converting it to CSV headless
 * (values as shown, formats applied), the PDF with pdftotext and pdfinfo.
 *
 * 1. the README tour's visitors.csv, no columns given → numbers are numbers
 * 2. a CSV past the inference sample: types inferred, a later value that does not fit kept as
 *    text, thousands separators left as text, the sheet's size declared, progress exact (bytes
 *    done never ahead of the rows drawn)
 * 3. JSON lines with mixed types → numbers, dates, date-times, booleans; JSON strings stay text
 * 4. a 3-page PDF → "page 1 of 3" … "page 3 of 3", column formats and currency symbols
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { EventType } from '@artifact-pipeline/shared';
import { withDeadline } from '../harness/support.js';
import { libreOfficeCsv } from '../interop/xlsx-tools.js';
import {
  type ReporterWorld, closeWorld, completion, createWorld, fetchArtifact, ofJob, openpyxlFull, openpyxlScan, pdfInfo, pdfText,
  putSource, requestReport, withScratch,
} from './reporter-e2e-support.js';

interface Ctx {
  world?: ReporterWorld;
}

const test = suite<Ctx>('typed reports (reporter over SQS, in process)', {});
test.before(async (ctx) => {
  ctx.world = await withDeadline(createWorld('sqs'), 60_000, 'the reporter world to start').catch((err: unknown) => {
    console.error('the reporter world did not start:', err);
    throw err;
  });
});
test.after(async (ctx) => {
  await closeWorld(ctx.world);
});

/** Renders, downloads, and reads the workbook with openpyxl and LibreOffice. */
async function readBoth(w: ReporterWorld, key: string): Promise<{ sheet: Awaited<ReturnType<typeof openpyxlFull>>['sheets'][number]; calc: string[][] }> {
  return withScratch(async (dir) => {
    const file = path.join(dir, 'report.xlsx');
    await fetchArtifact(w, key, file);
    const { sheets } = await openpyxlFull(file);
    assert.is(sheets.length, 1);
    return { sheet: sheets[0]!, calc: await libreOfficeCsv(file) };
  });
}

test('the tour\'s visitors.csv without columns: openpyxl reads ints, LibreOffice shows the same values, the title has no extension', async ({ world }) => {
  const w = world!;
  await putSource(w, 'tour/visitors.csv', ['city,visitors\nLisbon,1200\nPorto,800\n']);
  // As ingest builds it from `artifacts report visitors.csv --format xlsx` (no --title).
  const command = await requestReport(w, {
    format: 'xlsx', title: '', columns: [], output: { name: 'visitors.xlsx' },
    source: { bucket: w.sourceBucket, key: 'tour/visitors.csv', format: 'csv' },
  });
  const done = await completion(w, command.subject!);
  const { sheet, calc } = await readBoth(w, done.output.key);
  assert.is(sheet.title, 'visitors', 'the sheet is named after the file, without .xlsx');
  assert.equal(sheet.rows, [
    [['city', 'str'], ['visitors', 'str']],
    [['Lisbon', 'str'], [1200, 'int']],
    [['Porto', 'str'], [800, 'int']],
  ]);
  assert.equal(sheet.align, [null, 'right']);
  assert.equal(sheet.headerAlign, [null, 'right'], 'the header sits over its numbers');
  assert.equal(calc, [['city', 'visitors'], ['Lisbon', '1200'], ['Porto', '800']]);
});

test('a CSV past the inference sample: typed columns, a late misfit kept as text, grouped numbers as text, the size declared, progress exact', async ({ world }) => {
  const w = world!;
  const ROWS = 1_200;
  const MISFIT = 1_100; // past the 1,000-row sample
  let csv = 'id,amount,grouped,day,at,member,note\n';
  for (let i = 0; i < ROWS; i++) {
    const amount = i === MISFIT ? 'n/a' : (i * 1.25).toFixed(2);
    csv += `${i},${amount},"${(1000 + i).toLocaleString('en-US')}",2024-01-${String(1 + (i % 28)).padStart(2, '0')},2024-02-01T${String(i % 24).padStart(2, '0')}:30:00Z,${i % 2 === 0},n${i}\n`;
  }
  await putSource(w, 'typed/orders.csv', [csv]);
  const source = await w.objects.head(w.sourceBucket, 'typed/orders.csv');
  const command = await requestReport(w, {
    format: 'xlsx', title: 'Orders', columns: [], output: { name: 'orders.xlsx' },
    source: { bucket: w.sourceBucket, key: 'typed/orders.csv', format: 'csv' },
  });
  const jobId = command.subject!;
  const done = await completion(w, jobId);
  assert.is(done.manifest.included, ROWS, 'no row lost to the misfit');
  const progress = ofJob(w, jobId, EventType.jobProgressed).map((e) => e.data as { itemsDone: number; itemsTotal: number; bytesDone: number });
  assert.ok(progress.every((p) => p.itemsTotal === ROWS), `every progress event knows the total (${JSON.stringify(progress.map((p) => p.itemsTotal))})`);
  assert.equal(progress.at(-1), { ...progress.at(-1)!, itemsDone: ROWS, bytesDone: source!.size });
  // Bytes (which the status service's percent and ETA follow) never run ahead of the rows drawn.
  const ahead = progress.filter((p) => p.bytesDone > Math.round((source!.size * p.itemsDone) / ROWS));
  assert.equal(ahead, [], 'no progress event with more bytes done than its rows stand for');

  const picked = await withScratch(async (dir) => {
    const file = path.join(dir, 'orders.xlsx');
    await fetchArtifact(w, done.output.key, file);
    const { sheets } = await openpyxlScan(file, [1, 2, MISFIT + 2]);
    return { scan: sheets[0]!, calc: await libreOfficeCsv(file) };
  });
  const { scan, calc } = picked;
  assert.is(scan.maxRow, ROWS + 1, 'openpyxl (read-only) knows the size from <dimension>');
  assert.is(scan.maxColumn, 7);
  assert.equal(scan.picked['2'], [
    [0, 'int'], [0, 'int'], ['1,000', 'str'], ['2024-01-01T00:00:00', 'datetime'], ['2024-02-01T00:30:00', 'datetime'], [true, 'bool'], ['n0', 'str'],
  ]);
  assert.equal(scan.picked[String(MISFIT + 2)]![1], ['n/a', 'str'], 'the late misfit is kept, as text');
  assert.equal(calc[0], ['id', 'amount', 'grouped', 'day', 'at', 'member', 'note']);
  assert.equal(calc[2], ['1', '1.25', '1,001', '2024-01-02', '2024-02-01 01:30', 'FALSE', 'n1'], 'LibreOffice shows what the sheet holds');
  assert.equal(calc[MISFIT + 1]![1], 'n/a');
  assert.is(calc.length, ROWS + 1);
});

test('JSON lines with mixed types: numbers stay numbers, ISO strings become dates, other strings stay text', async ({ world }) => {
  const w = world!;
  const rows = [
    { id: 1, name: 'Zoë', joined: '2024-03-05', seen: '2024-03-05T10:30:00Z', active: true, score: 12.5, code: '0042', tags: ['a'] },
    { id: 2, name: 'Łódź', joined: '2023-12-31', seen: '2024-01-01T23:05:00+02:00', active: false, score: -3, code: '1200', tags: null },
    { id: 3, name: 'Ελληνικά', joined: null, seen: '2024-06-30T00:00:00Z', active: true, score: 1e3, code: 'x', tags: { b: 1 } },
  ];
  await putSource(w, 'typed/members.jsonl', [rows.map((r) => JSON.stringify(r)).join('\n') + '\n']);
  const command = await requestReport(w, {
    format: 'xlsx', title: 'Members', columns: [], output: { name: 'members.xlsx' },
    source: { bucket: w.sourceBucket, key: 'typed/members.jsonl', format: 'jsonl' },
  });
  const done = await completion(w, command.subject!);
  const { sheet, calc } = await readBoth(w, done.output.key);
  assert.equal(sheet.rows.slice(1), [
    [[1, 'int'], ['Zoë', 'str'], ['2024-03-05T00:00:00', 'datetime'], ['2024-03-05T10:30:00', 'datetime'], [true, 'bool'], [12.5, 'float'], ['0042', 'str'], ['["a"]', 'str']],
    [[2, 'int'], ['Łódź', 'str'], ['2023-12-31T00:00:00', 'datetime'], ['2024-01-01T21:05:00', 'datetime'], [false, 'bool'], [-3, 'int'], ['1200', 'str'], [null, 'NoneType']],
    [[3, 'int'], ['Ελληνικά', 'str'], [null, 'NoneType'], ['2024-06-30T00:00:00', 'datetime'], [true, 'bool'], [1000, 'int'], ['x', 'str'], ['{"b":1}', 'str']],
  ]);
  assert.equal(sheet.formats.slice(2, 4), ['yyyy-mm-dd', 'yyyy-mm-dd hh:mm'], 'one date format per column, with the time where there is one');
  assert.equal(calc.slice(1), [
    ['1', 'Zoë', '2024-03-05', '2024-03-05 10:30', 'TRUE', '12.5', '0042', '["a"]'],
    ['2', 'Łódź', '2023-12-31', '2024-01-01 21:05', 'FALSE', '-3', '1200', ''],
    ['3', 'Ελληνικά', '', '2024-06-30 00:00', 'TRUE', '1000', 'x', '{"b":1}'],
  ]);
});

test('a 3-page PDF: "page N of 3" on every page, numbers in their column format, amounts with their symbol', async ({ world }) => {
  const w = world!;
  const ROWS = 120;
  const command = await requestReport(w, {
    format: 'pdf', title: 'Ledger', output: { name: 'ledger.pdf' },
    columns: [
      { key: 'id', header: 'Id', type: 'number', format: '#,##0' },
      { key: 'who', header: 'Customer' },
      { key: 'amount', header: 'Amount', type: 'currency', currency: 'EUR' },
      { key: 'day', header: 'Day', type: 'date' },
    ],
    rows: Array.from({ length: ROWS }, (_, i) => ({ id: 1_000_000 + i * 1001, who: `customer ${i}`, amount: 1234.5 + i, day: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}` })),
  });
  const done = await completion(w, command.subject!);
  const { text, info } = await withScratch(async (dir) => {
    const file = path.join(dir, 'ledger.pdf');
    await fetchArtifact(w, done.output.key, file);
    return { text: await pdfText(file), info: await pdfInfo(file) };
  });
  assert.is(info.Pages, '3', `${ROWS} rows make three pages`);
  const footers = [...text.matchAll(/page (\d+) of (\d+)/g)].map((m) => `${m[1]}/${m[2]}`);
  assert.equal(footers, ['1/3', '2/3', '3/3']);
  assert.match(text, /1,000,000\s+customer 0\s+€1,234\.50\s+2024-01-01/);
  assert.match(text, /1,119,119\s+customer 119\s+€1,353\.50/);
});

test.run();
