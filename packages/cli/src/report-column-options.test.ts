import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { columnsFromOptions } from './report-column-options.js';

const options = suite<{ dir: string }>('columnsFromOptions', { dir: '' });
options.before(async (ctx) => {
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'cli-columns-'));
});
options.after(async (ctx) => {
  await rm(ctx.dir, { recursive: true, force: true });
});

const csv = Buffer.from('\uFEFFcity,"visitors ""total""",when\nLisbon,1200,2024-03-05\n');

options('is a function', () => assert.type(columnsFromOptions, 'function'));

options('neither option: no columns (the reporter infers them all)', async ({ dir }) => {
  assert.is(await columnsFromOptions({ data: csv, jsonLines: false, cwd: dir }), undefined);
});

options('--types: every column of the CSV header, in order, these typed', async ({ dir }) => {
  const columns = await columnsFromOptions({ types: 'visitors "total":number,when:date,city:currency:EUR', data: csv, jsonLines: false, cwd: dir });
  assert.equal(columns, [
    { key: 'city', header: 'city', type: 'currency', currency: 'EUR' },
    { key: 'visitors "total"', header: 'visitors "total"', type: 'number' },
    { key: 'when', header: 'when', type: 'date' },
  ]);
});

options('--types on JSON lines takes the first object\'s keys', async ({ dir }) => {
  const data = Buffer.from('\n{"id": 1, "at": "2024-01-01"}\n{"id": 2}\n');
  assert.equal(await columnsFromOptions({ types: 'id:number', data, jsonLines: true, cwd: dir }), [
    { key: 'id', header: 'id', type: 'number' },
    { key: 'at', header: 'at' },
  ]);
});

options('bad --types entries and unknown names are refused, naming the option', async ({ dir }) => {
  for (const [types, message] of [
    ['city:money', '--types: "city:money" is not name:type'],
    ['town:number', '--types: "town" not among the file\'s columns (city, visitors "total", when)'],
  ] as const) {
    try {
      await columnsFromOptions({ types, data: csv, jsonLines: false, cwd: dir });
      assert.unreachable(`${types} was accepted`);
    } catch (err) {
      assert.match((err as Error).message, message);
      assert.is((err as { code?: string }).code, 'INVALID_INPUT');
    }
  }
});

options('--columns sends the file\'s array as it is; not an array, or both options, is refused', async ({ dir }) => {
  const file = path.join(dir, 'columns.json');
  const columns = [{ key: 'visitors', header: 'Visitors', type: 'number', format: '#,##0' }];
  await writeFile(file, JSON.stringify(columns));
  assert.equal(await columnsFromOptions({ columnsFile: 'columns.json', data: csv, jsonLines: false, cwd: dir }), columns);
  await writeFile(file, '{"key": "a"}');
  try {
    await columnsFromOptions({ columnsFile: file, data: csv, jsonLines: false, cwd: dir });
    assert.unreachable('an object was accepted');
  } catch (err) {
    assert.match((err as Error).message, '--columns:');
  }
  try {
    await columnsFromOptions({ columnsFile: file, types: 'a:number', data: csv, jsonLines: false, cwd: dir });
    assert.unreachable('both were accepted');
  } catch (err) {
    assert.match((err as Error).message, '--columns and --types');
  }
});

options.run();
