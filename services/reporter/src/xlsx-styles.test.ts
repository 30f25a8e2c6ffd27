import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_CURRENCY_FORMAT, DEFAULT_DATE_FORMAT, createStyleTable } from './xlsx-styles.js';

const styles = suite('createStyleTable');
styles('is a function', () => assert.type(createStyleTable, 'function'));
styles('one cell format per distinct column look; numbers, amounts and dates on the right, headers aligned with them', () => {
  const table = createStyleTable([
    { key: 's', header: 's', type: 'string' },
    { key: 'd', header: 'd', type: 'date' },
    { key: 'c', header: 'c', type: 'currency' },
    { key: 'd2', header: 'd2', type: 'date' },
    { key: 'n', header: 'n', type: 'number', format: '0.000' },
    { key: 'e', header: 'e', type: 'currency', currency: 'EUR' },
    { key: 'p', header: 'p', type: 'number' },
  ]);
  assert.equal(table.columns, [0, 1, 2, 1, 3, 4, 5]);
  assert.equal(table.headers, [6, 7, 7, 7, 7, 7, 7]);
  assert.match(table.xml, `<numFmt numFmtId="164" formatCode="${DEFAULT_DATE_FORMAT}"/>`);
  assert.match(table.xml, `<numFmt numFmtId="165" formatCode="${DEFAULT_CURRENCY_FORMAT}"/>`);
  assert.match(table.xml, '<numFmt numFmtId="166" formatCode="0.000"/>');
  assert.match(table.xml, '<numFmt numFmtId="167" formatCode="&quot;€&quot;#,##0.00"/>');
  assert.match(table.xml, '<cellXfs count="8">');
  assert.match(table.xml, '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right"/></xf>');
  assert.match(table.xml, '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="right"/></xf>');
  assert.match(table.xml, '<font><b/>');
});
styles.run();
