import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_CURRENCY_FORMAT, DEFAULT_DATE_FORMAT, createStyleTable } from './xlsx-styles.js';

const styles = suite('createStyleTable');
styles('is a function', () => assert.type(createStyleTable, 'function'));
styles('one cell format per distinct number format; strings need none', () => {
  const table = createStyleTable([
    { key: 's', header: 's', type: 'string' },
    { key: 'd', header: 'd', type: 'date' },
    { key: 'c', header: 'c', type: 'currency' },
    { key: 'd2', header: 'd2', type: 'date' },
    { key: 'n', header: 'n', type: 'number', format: '0.000' },
  ]);
  assert.is(table.header, 1);
  assert.equal(table.columns, [0, 2, 3, 2, 4]);
  assert.match(table.xml, `<numFmt numFmtId="164" formatCode="${DEFAULT_DATE_FORMAT}"/>`);
  assert.match(table.xml, `<numFmt numFmtId="165" formatCode="${DEFAULT_CURRENCY_FORMAT}"/>`);
  assert.match(table.xml, '<numFmt numFmtId="166" formatCode="0.000"/>');
  assert.match(table.xml, '<cellXfs count="5">');
  assert.match(table.xml, '<font><b/>');
});
styles.run();
