import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { alignOfType, columnText, currencyFormat, formatCodeOf } from './cell-format.js';

const text = suite('columnText');
text('is a function', () => assert.type(columnText, 'function'));
text('applies the column format as the spreadsheet would', () => {
  assert.is(columnText({ type: 'number', format: '#,##0' })(1234567.6), '1,234,568');
  assert.is(columnText({ type: 'number', format: '0.00' })(-3.14159), '-3.14');
  assert.is(columnText({ type: 'number', format: '0.0%' })(0.256), '25.6%');
  assert.is(columnText({ type: 'number', format: '#,##0.00;(#,##0.00)' })(-1234.5), '(1,234.50)');
  assert.is(columnText({ type: 'number', format: '[$€-407] #,##0.00' })(12), '€ 12.00');
  assert.is(columnText({ type: 'number' })(1234.5), '1234.5', 'General: as given');
  assert.is(columnText({ type: 'currency' })(1234.5), '1,234.50');
  assert.is(columnText({ type: 'currency', currency: 'EUR' })(-1234.5), '-€1,234.50');
  assert.is(columnText({ type: 'currency', currency: 'JPY' })(1234.5), '¥1,235');
});
text('dates in UTC with the column format; date only by default', () => {
  const at = new Date(Date.UTC(2024, 2, 5, 9, 7, 3));
  assert.is(columnText({ type: 'date' })(at), '2024-03-05');
  assert.is(columnText({ type: 'date', format: 'yyyy-mm-dd hh:mm' })(at), '2024-03-05 09:07');
  assert.is(columnText({ type: 'date', format: 'dd/mm/yyyy hh:mm:ss' })(at), '05/03/2024 09:07:03');
  assert.is(columnText({ type: 'date', format: 'd mmm yyyy' })(at), '5 Mar 2024');
});
text('booleans as yes / no, empty as nothing', () => {
  assert.is(columnText({ type: 'boolean' })(true), 'yes');
  assert.is(columnText({ type: 'boolean' })(false), 'no');
  assert.is(columnText({ type: 'number' })(null), '');
});
text.run();

const codes = suite('formatCodeOf');
codes('is a function', () => assert.type(formatCodeOf, 'function'));
codes('the column format, else its type default', () => {
  assert.is(formatCodeOf({ type: 'date' }), 'yyyy-mm-dd');
  assert.is(formatCodeOf({ type: 'currency', currency: 'GBP' }), '"£"#,##0.00');
  assert.is(formatCodeOf({ type: 'currency', currency: 'CHF' }), '"CHF "#,##0.00');
  assert.is(formatCodeOf({ type: 'number', format: '0.0' }), '0.0');
  assert.is(formatCodeOf({ type: 'number' }), undefined);
  assert.is(currencyFormat(undefined), '#,##0.00');
});
codes.run();

const align = suite('alignOfType');
align('is a function', () => assert.type(alignOfType, 'function'));
align('numbers, amounts and dates right; text and booleans left', () => {
  assert.equal((['number', 'currency', 'date', 'string', 'boolean'] as const).map(alignOfType), ['right', 'right', 'right', 'left', 'left']);
});
align.run();
