import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Column } from './report-columns.js';
import { badLinePolicy, createSkipTally, typedRows, type TypedRow } from './report-rows.js';
import type { SourceRow } from './source-row.js';

const columns: Column[] = [
  { key: 'name', header: 'Name', type: 'string' },
  { key: 'qty', header: 'Qty', type: 'number' },
  { key: 'day', header: 'Day', type: 'date' },
];

async function collect(rows: SourceRow[], onError: 'fail' | 'skip') {
  const tally = createSkipTally();
  const out: TypedRow[] = [];
  for await (const row of typedRows(rows, columns, badLinePolicy(onError, tally, 2))) out.push(row);
  return { out, tally };
}

const typed = suite('typedRows');

typed('is a function', () => assert.type(typedRows, 'function'));

typed('converts each row into typed values in column order', async () => {
  const { out } = await collect([{ line: 2, record: { day: '2024-01-02', qty: '3', name: 'a', extra: 'ignored' } }], 'fail');
  assert.equal(out, [{ line: 2, values: ['a', 3, new Date(Date.UTC(2024, 0, 2))] }]);
});

typed('fails at the first bad row with its line and column', async () => {
  try {
    await collect([{ line: 2, record: { qty: '1' } }, { line: 7, record: { qty: 'lots' } }], 'fail');
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'INVALID_INPUT');
    assert.is((err as { retriable?: boolean }).retriable, false);
    assert.match((err as Error).message, /^line 7: column "qty": "lots" is not a number/);
  }
});

typed('skip: drops bad rows, counts every one, keeps the first samples', async () => {
  const rows: SourceRow[] = [1, 2, 3, 4].map((n) => ({ line: n + 1, record: { qty: n % 2 ? 'x' : String(n) } }));
  const { out, tally } = await collect(rows, 'skip');
  assert.equal(out.map((r) => r.values[1]), [2, 4]);
  assert.is(tally.total, 2);
  assert.equal(tally.samples.map((s) => s.key), ['line 2', 'line 4']);
});

typed.run();

const policy = suite('badLinePolicy');
policy('is a function', () => assert.type(badLinePolicy, 'function'));
policy('caps the samples but not the count', () => {
  const tally = createSkipTally();
  const onBad = badLinePolicy('skip', tally, 1);
  onBad({ line: 3, reason: 'a' });
  onBad({ line: 9, reason: 'b' });
  assert.equal(tally, { total: 2, samples: [{ key: 'line 3', reason: 'a' }] });
});
policy.run();

const inferred = suite('typedRows with inferred columns');
inferred('a value that does not fit an inferred type stays text in its cell; the row is kept', async () => {
  const cols: Column[] = [{ key: 'qty', header: 'Qty', type: 'number', inferred: true }];
  const out: TypedRow[] = [];
  for await (const row of typedRows([{ line: 2, record: { qty: '3' } }, { line: 3, record: { qty: 'n/a' } }], cols, badLinePolicy('fail', createSkipTally()))) out.push(row);
  assert.equal(out, [{ line: 2, values: [3] }, { line: 3, values: ['n/a'] }]);
});
inferred.run();
