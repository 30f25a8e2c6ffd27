import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError } from '../errors.js';
import { decodeListValue } from './s3-list.js';

const decode = suite('decodeListValue');

decode('is a function', () => assert.type(decodeListValue, 'function'));

decode('decodes a URL-encoded page: percent-encoded UTF-8, + for a space', () => {
  const cases: [string, string][] = [
    ['h/cr%0D.txt', 'h/cr\r.txt'],
    ['h/one%01.txt', 'h/one\u0001.txt'],
    ['h/nonchar%EF%BF%BE.txt', 'h/nonchar\uFFFE.txt'],
    ['h/amp%26%3C%3E.txt', 'h/amp&<>.txt'],
    ['h/sp+ace%2Bplus%2541.txt', 'h/sp ace+plus%41.txt'],
    ['h/sp%20ace.txt', 'h/sp ace.txt'],
    ['h/%E2%80%AEtxt.exe', 'h/\u202Etxt.exe'],
    ['h/%F0%9F%98%80', 'h/\u{1F600}'],
  ];
  for (const [raw, key] of cases) assert.is(decodeListValue(raw, 'url', 'ListObjectsV2'), key, raw);
});

decode('takes a page without EncodingType as it is', () => {
  assert.is(decodeListValue('h/a+b%41.txt', undefined, 'ListMultipartUploads'), 'h/a+b%41.txt');
});

decode('broken encoding is a non-retriable error naming the call', () => {
  try {
    decodeListValue('h/%E2%80.txt', 'url', 'ListObjectsV2');
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.ok(isPipelineError(err));
    assert.is(err.code, ErrorCode.INTERNAL);
    assert.is(err.retriable, false);
    assert.match(err.message, /ListObjectsV2/);
  }
});

decode.run();
