import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readCsv } from './read-csv.js';
import type { BadLine, SourceRow } from './source-row.js';

async function readAll(text: string | Buffer[], options: { skip?: boolean } = {}) {
  const rows: SourceRow[] = [];
  const bad: BadLine[] = [];
  let header: string[] | undefined;
  let bytes = 0;
  const chunks = typeof text === 'string' ? [Buffer.from(text)] : text;
  for await (const row of readCsv(chunks, {
    onBadLine: (b) => {
      if (!options.skip) throw new Error(`line ${b.line}: ${b.reason}`);
      bad.push(b);
    },
    onHeader: (keys) => (header = keys),
    onBytes: (n) => (bytes = n),
  })) rows.push(row);
  return { rows, bad, header, bytes };
}

const csv = suite('readCsv');

csv('is a function', () => assert.type(readCsv, 'function'));

csv('RFC 4180: header row, quoted commas, embedded newlines, "" escapes, BOM, CRLF', async () => {
  const text = '\uFEFFname,note,amount\r\n"Smith, J.","said ""hi""",1\r\n"Zoë","two\nlines",2\r\n';
  const { rows, header, bytes } = await readAll(text);
  assert.equal(header, ['name', 'note', 'amount']);
  assert.equal(rows, [
    { line: 2, record: { name: 'Smith, J.', note: 'said "hi"', amount: '1' } },
    { line: 4, record: { name: 'Zoë', note: 'two\nlines', amount: '2' } },
  ]);
  assert.is(bytes, Buffer.byteLength(text));
});

csv('a record split across chunks in the middle of a character is read whole', async () => {
  const bytes = Buffer.from('k\n"Ωμέγα"\n');
  const { rows } = await readAll([bytes.subarray(0, 4), bytes.subarray(4)]);
  assert.equal(rows.map((r) => r.record.k), ['Ωμέγα']);
});

csv('a header-only file has its header and no rows; an empty file is refused', async () => {
  const { rows, header } = await readAll('a,b\n');
  assert.equal(header, ['a', 'b']);
  assert.is(rows.length, 0);
  try {
    await readAll('');
    assert.unreachable('an empty CSV must be refused');
  } catch (err) {
    assert.match((err as Error).message, /empty/);
  }
});

csv('a broken line fails with its line number by default', async () => {
  try {
    await readAll('a,b\n1,2\n3,"4"x\n5,6\n');
    assert.unreachable('the bad line must fail');
  } catch (err) {
    assert.match((err as Error).message, /^line 3: Invalid Closing Quote/);
  }
});

csv('a line with the wrong number of fields is a bad line; skipped, the rest is read', async () => {
  const { rows, bad } = await readAll('a,b\n1,2\n3\n5,6\n', { skip: true });
  assert.equal(rows.map((r) => r.record), [{ a: '1', b: '2' }, { a: '5', b: '6' }]);
  assert.is(bad.length, 1);
  assert.is(bad[0]!.line, 3);
});

csv('a repeated header name is refused', async () => {
  try {
    await readAll('a,a\n1,2\n');
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /twice/);
  }
});

csv.run();
