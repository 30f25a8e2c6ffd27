import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { Column } from './report-columns.js';
import type { TypedRow } from './report-rows.js';
import { unzip } from './unzip-for-tests.js';
import { writeXlsxReport } from './xlsx-writer.js';

const columns: Column[] = [
  { key: 'name', header: 'Name', type: 'string' },
  { key: 'qty', header: 'Qty', type: 'number' },
  { key: 'day', header: 'Day', type: 'date' },
];

async function* rowsOf(n: number): AsyncGenerator<TypedRow> {
  for (let i = 1; i <= n; i++) yield { line: i + 1, values: [`row ${i}`, i, new Date(Date.UTC(2024, 0, i))] };
}

const xlsx = suite('writeXlsxReport');

xlsx('is a function', () => assert.type(writeXlsxReport, 'function'));

xlsx('writes a package with every part, rows rolling over into numbered sheets', async () => {
  const report = writeXlsxReport({ title: 'Stock', columns, rows: rowsOf(7), maxRowsPerSheet: 3, expectedRows: 7, clock: () => new Date(Date.UTC(2024, 5, 1)) });
  const [bytes, summary] = await Promise.all([buffer(report.output), report.done]);
  assert.equal(summary, { rows: 7, sheets: 3, bytes: bytes.length });
  const parts = new Map(unzip(bytes).map((e) => [e.name, e.data.toString('utf8')]));
  assert.equal([...parts.keys()].sort(), [
    '[Content_Types].xml', '_rels/.rels', 'docProps/app.xml', 'docProps/core.xml', 'xl/_rels/workbook.xml.rels',
    'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet3.xml',
  ]);
  const workbook = parts.get('xl/workbook.xml')!;
  assert.match(workbook, '<sheet name="Stock" sheetId="1" r:id="rId1"/><sheet name="Stock (2)" sheetId="2" r:id="rId2"/><sheet name="Stock (3)" sheetId="3" r:id="rId3"/>');
  assert.match(workbook, "'Stock (3)'!$A$1:$C$2</definedName>");
  const third = parts.get('xl/worksheets/sheet3.xml')!;
  assert.match(third, /<row r="2"><c r="A2" t="inlineStr"><is><t>row 7<\/t><\/is><\/c><c r="B2" s="\d+"><v>7<\/v><\/c>/);
  assert.match(third, '<dimension ref="A1:C2"/>', 'each sheet says its own size');
  assert.match(parts.get('xl/worksheets/sheet1.xml')!, '<dimension ref="A1:C4"/>');
  assert.match(third, '<autoFilter ref="A1:C2"/>');
  assert.match(parts.get('xl/worksheets/sheet1.xml')!, '<autoFilter ref="A1:C4"/>');
  assert.match(parts.get('[Content_Types].xml')!, 'PartName="/xl/worksheets/sheet3.xml"');
  assert.match(parts.get('xl/_rels/workbook.xml.rels')!, 'Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"');
});

xlsx('an empty report still has its header row and one sheet', async () => {
  const report = writeXlsxReport({ title: 'Empty', columns, rows: rowsOf(0) });
  const [bytes, summary] = await Promise.all([buffer(report.output), report.done]);
  assert.is(summary.rows, 0);
  const sheet = unzip(bytes).find((e) => e.name === 'xl/worksheets/sheet1.xml')!.data.toString();
  assert.match(sheet, '<t>Name</t>');
  assert.match(sheet, '<autoFilter ref="A1:C1"/>');
});

xlsx('a failing row source fails the report and the output stream', async () => {
  async function* failing(): AsyncGenerator<TypedRow> {
    yield* rowsOf(2);
    throw new Error('line 4: bad');
  }
  const report = writeXlsxReport({ title: 'Bad', columns, rows: failing() });
  const read = buffer(report.output).then(() => 'read', (err: Error) => err.message);
  try {
    await report.done;
    assert.unreachable();
  } catch (err) {
    assert.is((err as Error).message, 'line 4: bad');
  }
  assert.is(await read, 'line 4: bad');
});

xlsx('pulls rows only as fast as the output is read', async () => {
  let pulled = 0;
  async function* endless(): AsyncGenerator<TypedRow> {
    for (;;) {
      pulled += 1;
      // Hex noise compresses about 2:1, so a full output buffer holds a few thousand rows.
      yield { line: pulled, values: [randomBytes(48).toString('hex'), pulled, null] };
    }
  }
  const report = writeXlsxReport({ title: 'Slow', columns, rows: endless() });
  report.done.catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  // Unread, the writer stops once its buffers are full: far fewer rows than a second of work (~50,000).
  assert.ok(pulled < 20_000, `pulled ${pulled} rows with nobody reading`);
  report.output.destroy();
  try {
    await report.done;
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /closed|destroyed|abort/i);
  }
});

xlsx.run();
