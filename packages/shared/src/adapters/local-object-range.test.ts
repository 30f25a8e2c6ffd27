import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRange } from './local-object-range.js';

const range = suite('parseRange');

range('is a function', () => {
  assert.type(parseRange, 'function');
});

range('no header or an empty range: the whole object', () => {
  assert.equal(parseRange(undefined, 100), { kind: 'whole' });
  assert.equal(parseRange('bytes=-', 100), { kind: 'whole' });
});

range('a closed range, and one that runs past the end is cut at the end', () => {
  assert.equal(parseRange('bytes=10-19', 100), { kind: 'partial', start: 10, end: 19 });
  assert.equal(parseRange('bytes=90-1000', 100), { kind: 'partial', start: 90, end: 99 });
});

range('an open range runs to the end', () => {
  assert.equal(parseRange('bytes=95-', 100), { kind: 'partial', start: 95, end: 99 });
});

range('a suffix range is the last n bytes, at most the whole object', () => {
  assert.equal(parseRange('bytes=-10', 100), { kind: 'partial', start: 90, end: 99 });
  assert.equal(parseRange('bytes=-500', 100), { kind: 'partial', start: 0, end: 99 });
});

range('starting at or past the end cannot be satisfied', () => {
  assert.equal(parseRange('bytes=100-', 100), { kind: 'unsatisfiable' });
  assert.equal(parseRange('bytes=0-', 0), { kind: 'unsatisfiable' });
  assert.equal(parseRange('bytes=-0', 100), { kind: 'unsatisfiable' });
});

range('what it does not understand is ignored: the whole object', () => {
  for (const header of ['items=0-1', 'bytes=0-1,5-6', 'bytes=abc', 'bytes=20-10']) {
    assert.equal(parseRange(header, 100), { kind: 'whole' }, header);
  }
});

range.run();
