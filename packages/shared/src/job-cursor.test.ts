import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError } from './errors.js';
import { compareNewestFirst, decodeCursor, encodeCursor, resolveListLimit, resolveStatusFilter } from './job-cursor.js';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isPipelineError(err) ? err.code : err;
  }
};

const cursor = suite('encodeCursor / decodeCursor');
cursor('round-trips any id, including colons and non-ASCII', () => {
  for (const position of [
    { createdAtMs: 1_900_000_000_000, id: 'job-1' },
    { createdAtMs: 0, id: 'a:b:c' },
    { createdAtMs: 42, id: 'zürich/ü' },
  ]) {
    const text = encodeCursor(position);
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    assert.equal(decodeCursor(text), position);
  }
});
cursor('refuses what it did not make', () => {
  for (const bad of ['', 'not base64!', Buffer.from('v2:1:x').toString('base64url'), Buffer.from('v1:-1:x').toString('base64url'), Buffer.from('v1:1:').toString('base64url')]) {
    assert.is(codeOf(() => decodeCursor(bad)), ErrorCode.INVALID_INPUT, bad);
  }
});
cursor.run();

const limit = suite('resolveListLimit');
limit('defaults to 20, allows 1..100', () => {
  assert.is(resolveListLimit(undefined), 20);
  assert.is(resolveListLimit(1), 1);
  assert.is(resolveListLimit(100), 100);
  for (const bad of [0, 101, 1.5, Number.NaN]) assert.is(codeOf(() => resolveListLimit(bad)), ErrorCode.INVALID_INPUT);
});
limit.run();

const status = suite('resolveStatusFilter');
status('passes known statuses, refuses others', () => {
  assert.is(resolveStatusFilter(undefined), undefined);
  assert.is(resolveStatusFilter('done'), 'done');
  assert.is(codeOf(() => resolveStatusFilter('finished')), ErrorCode.INVALID_INPUT);
});
status.run();

const order = suite('compareNewestFirst');
order('newer first, then the greater id in byte order (as Redis ZRANGE REV)', () => {
  const entries = [
    { createdAtMs: 1, id: 'b' },
    { createdAtMs: 2, id: 'a' },
    { createdAtMs: 1, id: 'B' },
    { createdAtMs: 1, id: 'ä' },
  ];
  assert.equal(entries.sort(compareNewestFirst), [
    { createdAtMs: 2, id: 'a' },
    { createdAtMs: 1, id: 'ä' },
    { createdAtMs: 1, id: 'b' },
    { createdAtMs: 1, id: 'B' },
  ]);
});
order.run();
