import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError } from '../errors.js';
import { bucketPaths, checkBucketName, compareKeys, keySegments } from './local-object-keys.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isPipelineError(err) ? err.code : 'not a PipelineError';
  }
  return undefined;
}

const segments = suite('keySegments');

segments('is a function', () => {
  assert.type(keySegments, 'function');
});

segments('splits ordinary keys, unicode and spaces included', () => {
  assert.equal(keySegments('a/b c/ü.txt'), ['a', 'b c', 'ü.txt']);
  assert.equal(keySegments('x\\y'), ['x\\y']);
});

segments('refuses keys a folder cannot hold or that would leave the bucket', () => {
  const bad = ['', '/abs', 'trailing/', 'a//b', '.', '..', 'a/../b', './a', 'nul\0', '.uploads/x', '.meta/x', 'x'.repeat(251), 'a/'.repeat(600)];
  for (const key of bad) assert.is(codeOf(() => keySegments(key)), ErrorCode.INVALID_INPUT, JSON.stringify(key.slice(0, 20)));
});

segments('reserved names are fine below the top level', () => {
  assert.equal(keySegments('a/.meta/b'), ['a', '.meta', 'b']);
});

segments.run();

const bucketName = suite('checkBucketName');

bucketName('accepts S3 names and refuses path tricks', () => {
  assert.is(checkBucketName('test-os-1a2b3c4d'), 'test-os-1a2b3c4d');
  for (const bad of ['..', 'a', 'UPPER', 'a/b', '../etc', 'a..b', '-start', 'end-']) {
    assert.is(codeOf(() => checkBucketName(bad)), ErrorCode.INVALID_INPUT, bad);
  }
});

bucketName.run();

const paths = suite('bucketPaths');

paths('keys become nested files; sidecars live under .meta', () => {
  const p = bucketPaths('/data', 'bucket');
  assert.is(p.objectFile('a/b.txt'), '/data/bucket/a/b.txt');
  assert.is(p.metaFile('a/b.txt'), '/data/bucket/.meta/a/b.txt.json');
  assert.is(p.uploadsDir, '/data/bucket/.uploads');
});

paths.run();

const compare = suite('compareKeys');

compare('orders by UTF-8 bytes, as S3 lists', () => {
  const keys = ['a/b', 'a0', 'a-b', 'a.b', '\u{1f600}', '\uff5e', 'Z', 'a'];
  assert.equal([...keys].sort(compareKeys), ['Z', 'a', 'a-b', 'a.b', 'a/b', 'a0', '\uff5e', '\u{1f600}']);
});

compare('differs from JS string order for astral characters', () => {
  // UTF-16: U+1F600 is \ud83d\ude00, below U+FF5E; in UTF-8 (F0 …) it is above (EF …)
  assert.ok('\u{1f600}' < '\uff5e');
  assert.ok(compareKeys('\u{1f600}', '\uff5e') > 0);
});

compare.run();
