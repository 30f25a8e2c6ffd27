import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeHeaderValue, encodeHeaderValue } from './http-header-values.js';

const encode = suite('encodeHeaderValue');

encode('is a function', () => {
  assert.type(encodeHeaderValue, 'function');
});

encode('follows the example of the HTTP binding §3.1.3.2', () => {
  assert.is(encodeHeaderValue('Euro € 😀'), 'Euro%20%E2%82%AC%20%F0%9F%98%80');
});

encode('encodes space, double-quote and percent; leaves other printable ASCII alone', () => {
  assert.is(encodeHeaderValue('a "b" 100%'), 'a%20%22b%22%20100%25');
  assert.is(encodeHeaderValue('/artifact-pipeline/ingest?x=1&y=2'), '/artifact-pipeline/ingest?x=1&y=2');
});

encode.run();

const decode = suite('decodeHeaderValue');

decode('undoes the encoding, upper or lower case hex', () => {
  for (const value of ['Euro € 😀', 'a "b" 100%', 'plain', '']) {
    assert.is(decodeHeaderValue(encodeHeaderValue(value)), value);
  }
  assert.is(decodeHeaderValue('%e2%82%ac'), '€');
});

decode('unquotes a double-quoted value first (older senders)', () => {
  assert.is(decodeHeaderValue('"a \\"quoted\\" value"'), 'a "quoted" value');
});

decode('accepts needless encoding, rejects broken or non-UTF-8 sequences', () => {
  assert.is(decodeHeaderValue('%61bc'), 'abc');
  assert.is(decodeHeaderValue('%C0%A0'), undefined); // overlong U+0020, named by the spec
  assert.is(decodeHeaderValue('%E2%82'), undefined);
  assert.is(decodeHeaderValue('100%'), undefined);
  assert.is(decodeHeaderValue('%zz'), undefined);
});

decode.run();
