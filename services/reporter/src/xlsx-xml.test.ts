import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { columnName, escapeXml, excelSerial, sheetName } from './xlsx-xml.js';

const escape = suite('escapeXml');
escape('is a function', () => assert.type(escapeXml, 'function'));
escape('escapes markup, drops characters XML 1.0 forbids, repairs lone surrogates', () => {
  assert.is(escapeXml('plain Ελληνικά'), 'plain Ελληνικά');
  assert.is(escapeXml('a & <b> "c"'), 'a &amp; &lt;b&gt; &quot;c&quot;');
  assert.is(escapeXml('bell\x07 tab\t nl\n'), 'bell tab\t nl\n');
  assert.is(escapeXml('ok 😀 lone \uD800 end'), 'ok 😀 lone \uFFFD end');
});
escape.run();

const column = suite('columnName');
column('is a function', () => assert.type(columnName, 'function'));
column('A…Z, AA…, up to XFD (16,384 columns)', () => {
  assert.equal([0, 25, 26, 51, 52, 701, 702, 16383].map(columnName), ['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
});
column.run();

const serial = suite('excelSerial');
serial('is a function', () => assert.type(excelSerial, 'function'));
serial("matches Excel's 1900 date system serials", () => {
  assert.is(excelSerial(new Date(Date.UTC(1900, 2, 1))), 61);
  assert.is(excelSerial(new Date(Date.UTC(2024, 0, 1))), 45292);
  assert.is(excelSerial(new Date(Date.UTC(2024, 0, 1, 18))), 45292.75);
});
serial.run();

const sheet = suite('sheetName');
sheet('is a function', () => assert.type(sheetName, 'function'));
sheet('follows Excel sheet name rules and numbers the rollover sheets', () => {
  assert.is(sheetName(''), 'Report');
  assert.is(sheetName('History'), 'Report');
  assert.is(sheetName('Sales: Q1/Q2 [draft]'), 'Sales Q1 Q2 draft');
  assert.is(sheetName("'quoted'"), 'quoted');
  assert.is(sheetName('Report', 2), 'Report (2)');
  const long = sheetName('A very long title that goes on and on', 12);
  assert.is(long.length, 31);
  assert.ok(long.endsWith(' (12)'));
});
sheet.run();
