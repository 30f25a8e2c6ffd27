import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { silentLogger } from '../logger.js';
import type { BuildProgress } from './job-worker-types.js';
import { createProgressReporter } from './progress-reporter.js';

const at = (n: number): BuildProgress => ({ bytesDone: n, bytesTotal: 100, itemsDone: n, itemsTotal: 100 });

const Reporter = suite('createProgressReporter');

Reporter('returns report, flush and close', () => {
  const r = createProgressReporter({ send: async () => undefined, logger: silentLogger() });
  for (const m of ['report', 'flush', 'close'] as const) assert.type(r[m], 'function');
});

Reporter('sends the first value at once and the latest after the interval', async () => {
  const sent: number[] = [];
  const r = createProgressReporter({ send: async (p) => void sent.push(p.bytesDone), intervalMs: 30, logger: silentLogger() });
  r.report(at(1));
  r.report(at(2));
  r.report(at(3));
  await new Promise((res) => setImmediate(res));
  assert.equal(sent, [1]);
  const until = Date.now() + 2_000;
  while (sent.length < 2 && Date.now() < until) await new Promise((res) => setTimeout(res, 5));
  assert.equal(sent, [1, 3], 'the value pending at the end of the interval, not the ones in between');
  await r.flush();
});

Reporter('flush sends what is pending; nothing goes out afterwards', async () => {
  const sent: number[] = [];
  const r = createProgressReporter({ send: async (p) => void sent.push(p.bytesDone), intervalMs: 60_000, logger: silentLogger() });
  r.report(at(1));
  r.report(at(7));
  await r.flush();
  r.report(at(9));
  assert.equal(sent, [1, 7]);
});

Reporter('close drops what is pending; a failed send is not fatal', async () => {
  const sent: number[] = [];
  const r = createProgressReporter({
    send: async (p) => {
      sent.push(p.bytesDone);
      throw new Error('bus down');
    },
    intervalMs: 60_000,
    logger: silentLogger(),
  });
  r.report(at(1));
  r.report(at(2));
  await r.close();
  assert.equal(sent, [1]);
});

Reporter.run();
