import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError } from './errors.js';
import { normalizeChange, normalizeTime, requirePositiveSeconds } from './job-store-input.js';
import type { JobChange } from './ports/job-store.js';

const at = (s: number): string => new Date(Date.parse('2030-01-01T00:00:00.000Z') + s * 1000).toISOString();
const progress = { bytesDone: 1, bytesTotal: 2, itemsDone: 1, itemsTotal: 2 };
const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isPipelineError(err) ? err.code : err;
  }
};

const normalize = suite('normalizeChange');
normalize('rewrites times as toISOString and refuses bad input', () => {
  const change = normalizeChange({ kind: 'started', attempt: 1, at: '2030-01-01T01:00:00+01:00' });
  assert.is(change.at, '2030-01-01T00:00:00.000Z');
  for (const bad of [
    { kind: 'started', attempt: 0, at: at(1) },
    { kind: 'started', attempt: 1, at: 'yesterday' },
    { kind: 'progressed', attempt: 1, at: at(1), progress: { ...progress, bytesDone: -1 } },
  ] as JobChange[]) {
    assert.is(codeOf(() => normalizeChange(bad)), ErrorCode.INVALID_INPUT, JSON.stringify(bad));
  }
});
normalize.run();

const time = suite('normalizeTime');
time('any ISO 8601 offset becomes UTC toISOString', () => {
  assert.is(normalizeTime('2030-06-01T02:00:00+02:00', 'x'), '2030-06-01T00:00:00.000Z');
  assert.is(codeOf(() => normalizeTime('', 'x')), ErrorCode.INVALID_INPUT);
});
time.run();

const seconds = suite('requirePositiveSeconds');
seconds('accepts whole seconds >= 1 only', () => {
  assert.is(requirePositiveSeconds(86_400, 'ttl'), 86_400);
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.is(codeOf(() => requirePositiveSeconds(bad, 'ttl')), ErrorCode.INVALID_INPUT);
});
seconds.run();
