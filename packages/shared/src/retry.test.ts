import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { computeDelay, retry, sleep } from './retry.js';
import { ErrorCode, PipelineError } from './errors.js';

const delay = suite('computeDelay');

delay('is a function', () => {
  assert.type(computeDelay, 'function');
});

delay('grows exponentially without jitter and stops at the cap', () => {
  const opts = { baseMs: 100, factor: 2, maxMs: 1000, jitter: 'none' as const };
  assert.equal([1, 2, 3, 4, 5, 6].map((n) => computeDelay(n, opts)), [100, 200, 400, 800, 1000, 1000]);
});

delay('full jitter stays within [0, ceiling]', () => {
  const opts = { baseMs: 100, factor: 2, maxMs: 1000, jitter: 'full' as const };
  assert.is(computeDelay(3, opts, () => 0), 0);
  assert.is(computeDelay(3, opts, () => 0.999999), 400);
  assert.is(computeDelay(3, opts, () => 0.5), 200);
});

delay('equal jitter stays within [ceiling/2, ceiling]', () => {
  const opts = { baseMs: 100, factor: 2, maxMs: 1000, jitter: 'equal' as const };
  assert.is(computeDelay(2, opts, () => 0), 100);
  assert.is(computeDelay(2, opts, () => 1), 200);
});

delay.run();

const retrying = suite('retry');

const transient = () => new PipelineError('busy', { code: ErrorCode.UNAVAILABLE, retriable: true });
const fatal = () => new PipelineError('bad', { code: ErrorCode.INVALID_INPUT, retriable: false });
const fast = { baseMs: 1, maxMs: 2, jitter: 'none' as const };

retrying('returns the first success after transient failures', async () => {
  let calls = 0;
  const value = await retry(async () => {
    calls++;
    if (calls < 3) throw transient();
    return 'ok';
  }, fast);
  assert.is(value, 'ok');
  assert.is(calls, 3);
});

retrying('never retries a non-retriable error', async () => {
  let calls = 0;
  const err = await retry(async () => {
    calls++;
    throw fatal();
  }, fast).catch((e: unknown) => e);
  assert.is(calls, 1);
  assert.is((err as PipelineError).code, ErrorCode.INVALID_INPUT);
});

retrying('stops after the attempt limit and rethrows the last error', async () => {
  let calls = 0;
  const err = await retry(async () => {
    calls++;
    throw transient();
  }, { ...fast, attempts: 4 }).catch((e: unknown) => e);
  assert.is(calls, 4);
  assert.is((err as PipelineError).code, ErrorCode.UNAVAILABLE);
});

retrying('stops when the time budget would be exceeded', async () => {
  let calls = 0;
  await retry(async () => {
    calls++;
    throw transient();
  }, { baseMs: 50, maxMs: 50, jitter: 'none', attempts: 100, budgetMs: 120 }).catch(() => undefined);
  assert.ok(calls >= 2 && calls <= 4, `calls=${calls}`);
});

retrying('an abort stops the wait with ABORTED', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 10);
  const err = await retry(async () => {
    throw transient();
  }, { baseMs: 10_000, maxMs: 10_000, jitter: 'none' }, controller.signal).catch((e: unknown) => e);
  assert.is((err as PipelineError).code, ErrorCode.ABORTED);
});

retrying('sleep rejects at once on an aborted signal', async () => {
  const err = await sleep(1000, AbortSignal.abort()).catch((e: unknown) => e);
  assert.is((err as PipelineError).code, ErrorCode.ABORTED);
});

retrying.run();
