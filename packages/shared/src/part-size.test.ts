import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DEFAULT_PART_SIZE,
  MAX_OBJECT_SIZE,
  MAX_PARTS,
  MAX_PART_SIZE,
  MIN_PART_SIZE,
  checkPartSize,
  choosePartSize,
  maxUploadSize,
} from './part-size.js';
import { ErrorCode, isPipelineError } from './errors.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isPipelineError(err) ? err.code : 'not a PipelineError';
  }
  return undefined;
}

const choose = suite('choosePartSize');

choose('is a function', () => {
  assert.type(choosePartSize, 'function');
});

choose('unknown size gets the default, which holds well over 48 GiB', () => {
  assert.is(choosePartSize(), DEFAULT_PART_SIZE);
  assert.ok(maxUploadSize(choosePartSize()) >= 48 * GiB);
  assert.ok(DEFAULT_PART_SIZE >= MIN_PART_SIZE);
});

choose('small and empty objects get the 5 MiB minimum', () => {
  assert.is(choosePartSize(0), MIN_PART_SIZE);
  assert.is(choosePartSize(1), MIN_PART_SIZE);
  assert.is(choosePartSize(40 * GiB), MIN_PART_SIZE);
});

choose('large objects fit in 10,000 parts with room to spare, in whole MiB', () => {
  for (const size of [50 * GiB, 100 * GiB, 1024 * GiB, 3000 * GiB, MAX_OBJECT_SIZE]) {
    const part = choosePartSize(size);
    assert.ok(part >= MIN_PART_SIZE && part <= MAX_PART_SIZE, `part ${part} for ${size}`);
    assert.is(part % MiB, 0);
    const parts = Math.ceil(size / part);
    assert.ok(parts <= 9_000, `${parts} parts for ${size}`);
    // 10 % more than expected still fits: the headroom for estimates
    assert.ok(Math.ceil((size * 1.1) / part) <= MAX_PARTS, `no headroom for ${size}`);
  }
});

choose('100 GiB gets 12 MiB parts', () => {
  assert.is(choosePartSize(100 * GiB), 12 * MiB);
});

choose('sizes over 5 TiB are refused as too large, bad numbers as bad input', () => {
  assert.is(codeOf(() => choosePartSize(MAX_OBJECT_SIZE + 1)), ErrorCode.PAYLOAD_TOO_LARGE);
  assert.is(codeOf(() => choosePartSize(-1)), ErrorCode.INVALID_INPUT);
  assert.is(codeOf(() => choosePartSize(Number.NaN)), ErrorCode.INVALID_INPUT);
});

choose.run();

const check = suite('checkPartSize');

check('is a function', () => {
  assert.type(checkPartSize, 'function');
});

check('accepts 5 MiB to 5 GiB and refuses the rest', () => {
  assert.is(checkPartSize(MIN_PART_SIZE), MIN_PART_SIZE);
  assert.is(checkPartSize(MAX_PART_SIZE), MAX_PART_SIZE);
  assert.is(codeOf(() => checkPartSize(MIN_PART_SIZE - 1)), ErrorCode.INVALID_INPUT);
  assert.is(codeOf(() => checkPartSize(MAX_PART_SIZE + 1)), ErrorCode.INVALID_INPUT);
  assert.is(codeOf(() => checkPartSize(6.5 * MiB + 0.5)), ErrorCode.INVALID_INPUT);
});

check.run();

const max = suite('maxUploadSize');

max('is 10,000 parts', () => {
  assert.is(maxUploadSize(MIN_PART_SIZE), 10_000 * 5 * MiB);
});

max.run();
