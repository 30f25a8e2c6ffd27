import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRowRenderer, sheetEnd, sheetStart } from './xlsx-sheet-xml.js';

const rows = suite('createRowRenderer');
rows('is a function', () => assert.type(createRowRenderer, 'function'));
rows('types each cell: numbers, inline strings, booleans, dates as serials; empty cells left out', () => {
  const render = createRowRenderer([0, 0, 2, 0, 3]);
  const xml = render(7, ['Zoë & co', 12.5, new Date(Date.UTC(2024, 0, 1)), true, null]);
  assert.is(
    xml,
    '<row r="7"><c r="A7" t="inlineStr"><is><t>Zoë &amp; co</t></is></c><c r="B7"><v>12.5</v></c>' +
      '<c r="C7" s="2"><v>45292</v></c><c r="D7" t="b"><v>1</v></c></row>',
  );
});
rows('keeps leading and trailing spaces', () => {
  assert.match(createRowRenderer([0])(2, [' x ']), '<t xml:space="preserve"> x </t>');
});
rows.run();

const start = suite('sheetStart');
start('is a function', () => assert.type(sheetStart, 'function'));
start('freezes the header row, sets widths, writes the bold header', () => {
  const xml = sheetStart({
    columns: [{ key: 'a', header: 'Amount <€>', type: 'currency' }, { key: 'b', header: 'B', type: 'string' }],
    widths: [14, 8],
    headerStyles: [3, 1],
    selected: true,
  });
  assert.match(xml, '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
  assert.match(xml, '<col min="1" max="1" width="14" customWidth="1"/><col min="2" max="2" width="8" customWidth="1"/>');
  assert.match(xml, '<row r="1"><c r="A1" t="inlineStr" s="3"><is><t>Amount &lt;€&gt;</t></is></c><c r="B1" t="inlineStr" s="1">');
  assert.match(xml, 'tabSelected="1"');
  assert.not.match(xml, '<dimension', 'no used range when the row count is not known ahead');
});
start('gives the used range first when the row count is known', () => {
  const xml = sheetStart({ columns: [{ key: 'a', header: 'A', type: 'number' }, { key: 'b', header: 'B', type: 'string' }], widths: [8, 8], headerStyles: [1, 1], selected: false, rows: 41 });
  assert.match(xml, /<worksheet [^>]+><dimension ref="A1:B42"\/><sheetViews>/);
});
start.run();

const end = suite('sheetEnd');
end('is a function', () => assert.type(sheetEnd, 'function'));
end('sets the autofilter over the header and the rows written', () => {
  assert.is(sheetEnd(10, 1001), '</sheetData><autoFilter ref="A1:J1001"/></worksheet>');
});
end.run();
