import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { inferColumnTypes, typeOfValue } from './column-inference.js';
import type { Column } from './report-columns.js';

const value = suite('typeOfValue');
value('is a function', () => assert.type(typeOfValue, 'function'));
value('CSV text: integers, dot decimals, ISO dates, true/false; the rest is text', () => {
  const csv = (v: string) => typeOfValue(v, 'csv');
  assert.equal(['1200', '-3', '12.50', '0'].map(csv), ['number', 'number', 'number', 'number']);
  assert.equal(['1,200', '007', '+351', '1e3', '1234567890123456', '1.2.3'].map(csv), ['string', 'string', 'string', 'string', 'string', 'string']);
  assert.equal(['2024-03-05', '2024-03-05T10:30:00Z', '2024-02-30'].map(csv), ['date', 'date', 'string']);
  assert.equal(['true', 'FALSE', 'yes'].map(csv), ['boolean', 'boolean', 'string']);
  assert.is(csv(''), undefined);
});
value('JSON values keep their types; strings only become dates', () => {
  const json = (v: unknown) => typeOfValue(v, 'json');
  assert.equal([12, 1.5, true, '2024-03-05', '1200', { a: 1 }, null].map(json), ['number', 'number', 'boolean', 'date', 'string', 'string', undefined]);
});
value.run();

const infer = suite('inferColumnTypes');
infer('is a function', () => assert.type(inferColumnTypes, 'function'));
const untyped = (...keys: string[]): Column[] => keys.map((key) => ({ key, header: key, type: 'string', inferred: true }));
infer('a column takes the type all its sampled values share; mixed or empty stays text', () => {
  const columns = inferColumnTypes(untyped('n', 'd', 't', 'b', 'mixed', 'empty'), [
    { n: '1', d: '2024-01-01', t: '2024-01-01T10:30:00Z', b: 'true', mixed: '1', empty: '' },
    { n: '2.5', d: '', t: '2024-01-02T00:00:45Z', b: 'false', mixed: 'x' },
  ], 'csv');
  assert.equal(columns.map((c) => [c.type, c.format]), [['number', undefined], ['date', undefined], ['date', 'yyyy-mm-dd hh:mm:ss'], ['boolean', undefined], ['string', undefined], ['string', undefined]]);
  assert.ok(columns.every((c) => c.inferred), 'still marked inferred: later values that do not fit stay text');
});
infer('explicit types win; an explicit date column without a format still learns whether it has times', () => {
  const [amount, when] = inferColumnTypes([{ key: 'a', header: 'A', type: 'string' }, { key: 'w', header: 'W', type: 'date' }], [{ a: '12', w: '2024-01-01T10:30:00Z' }], 'csv');
  assert.is(amount!.type, 'string');
  assert.is(when!.format, 'yyyy-mm-dd hh:mm');
});
infer.run();
