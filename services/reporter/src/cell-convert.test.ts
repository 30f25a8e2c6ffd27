import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CellError, MAX_CELL_CHARS, convertCell } from './cell-convert.js';

const isCellError = (err: unknown): boolean => err instanceof CellError;

const convert = suite('convertCell');

convert('is a function', () => assert.type(convertCell, 'function'));

convert('empty values are empty cells in every type', () => {
  for (const type of ['string', 'number', 'date', 'boolean', 'currency'] as const) {
    assert.is(convertCell(null, type), null);
    assert.is(convertCell(undefined, type), null);
    assert.is(convertCell('', type), null);
  }
});

convert('strings: text as given, other JSON as JSON, cut at the Excel cell limit', () => {
  assert.is(convertCell('Ελληνικά, кириллица', 'string'), 'Ελληνικά, кириллица');
  assert.is(convertCell(12.5, 'string'), '12.5');
  assert.is(convertCell(true, 'string'), 'true');
  assert.is(convertCell({ a: [1] }, 'string'), '{"a":[1]}');
  const long = convertCell('x'.repeat(40_000), 'string') as string;
  assert.is(long.length, MAX_CELL_CHARS);
  assert.ok(long.endsWith('…'));
});

convert('numbers: JSON numbers and decimal strings; anything else says why', () => {
  assert.is(convertCell(42, 'number'), 42);
  assert.is(convertCell(' -1.5e3 ', 'number'), -1500);
  assert.is(convertCell('.25', 'number'), 0.25);
  assert.throws(() => convertCell('12abc', 'number'), (err: Error) => err instanceof CellError && /"12abc" is not a number/.test(err.message));
  assert.throws(() => convertCell('1,234', 'number'), isCellError);
  assert.throws(() => convertCell(Number.NaN, 'number'), isCellError);
  assert.throws(() => convertCell(true, 'number'), isCellError);
});

convert('currency: symbols, codes, grouping and accounting negatives', () => {
  assert.is(convertCell('$1,234.50', 'currency'), 1234.5);
  assert.is(convertCell('€ 12', 'currency'), 12);
  assert.is(convertCell('USD 7.25', 'currency'), 7.25);
  assert.is(convertCell('(3.00)', 'currency'), -3);
  assert.is(convertCell(-9.99, 'currency'), -9.99);
  assert.throws(() => convertCell('$', 'currency'), isCellError);
  assert.throws(() => convertCell('ten dollars', 'currency'), isCellError);
});

convert('dates: ISO 8601 dates and times, zones applied, impossible dates refused', () => {
  assert.equal(convertCell('2024-03-05', 'date'), new Date(Date.UTC(2024, 2, 5)));
  assert.equal(convertCell('2024-03-05T10:30:00Z', 'date'), new Date(Date.UTC(2024, 2, 5, 10, 30)));
  assert.equal(convertCell('2024-03-05 10:30', 'date'), new Date(Date.UTC(2024, 2, 5, 10, 30)));
  assert.equal(convertCell('2024-03-05T12:30:00.250+02:00', 'date'), new Date(Date.UTC(2024, 2, 5, 10, 30, 0, 250)));
  assert.equal(convertCell('2024-02-29', 'date'), new Date(Date.UTC(2024, 1, 29)));
  assert.throws(() => convertCell('2023-02-29', 'date'), isCellError);
  assert.throws(() => convertCell('2024-13-01', 'date'), isCellError);
  assert.throws(() => convertCell('05/03/2024', 'date'), /is not a date/);
  assert.throws(() => convertCell(1709600000000, 'date'), isCellError);
});

convert('booleans: JSON booleans and the usual words', () => {
  assert.is(convertCell(true, 'boolean'), true);
  assert.is(convertCell('Yes', 'boolean'), true);
  assert.is(convertCell('0', 'boolean'), false);
  assert.is(convertCell('FALSE', 'boolean'), false);
  assert.throws(() => convertCell('maybe', 'boolean'), /is not a boolean/);
});

convert.run();
