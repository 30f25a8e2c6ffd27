import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkReadiness } from './readiness.js';

const readiness = suite('checkReadiness');

readiness('is a function; no checks means ready', async () => {
  assert.type(checkReadiness, 'function');
  assert.equal(await checkReadiness([]), { ready: true, checks: {} });
});

readiness('reports each check; one failure (thrown, rejected or timed out) makes it not ready', async () => {
  const report = await checkReadiness([
    { name: 'ok', check: async () => undefined },
    { name: 'throws', check: () => { throw new Error('sync boom'); } },
    { name: 'rejects', check: async () => { throw new Error('async boom'); } },
    { name: 'hangs', check: () => new Promise<void>(() => undefined), timeoutMs: 30 },
  ], { timeoutMs: 5_000 });
  assert.is(report.ready, false);
  assert.is(report.checks.ok?.status, 'ok');
  assert.is(report.checks.throws?.error, 'sync boom');
  assert.is(report.checks.rejects?.error, 'async boom');
  assert.is(report.checks.hangs?.error, 'no answer within 30 ms');
});

readiness('a timed-out check sees its signal aborted', async () => {
  let aborted = false;
  await checkReadiness([{ name: 'slow', check: (signal) => new Promise<void>((resolve) => {
    signal.addEventListener('abort', () => { aborted = true; resolve(); });
  }) }], { timeoutMs: 20 });
  assert.ok(aborted);
});

readiness.run();
