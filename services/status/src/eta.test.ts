import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Job } from '@artifact-pipeline/shared';
import { estimateProgress } from './eta.js';

const job = (over: Partial<Job>): Job => ({
  id: 'j', type: 'zip', owner: 'o', status: 'processing', attempt: 1, version: 3, input: {},
  progress: { bytesDone: 0, bytesTotal: 0, itemsDone: 0, itemsTotal: 0 },
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:10.000Z', startedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const estimate = suite('estimateProgress');
estimate('is a function', () => assert.type(estimateProgress, 'function'));
estimate('unknown totals are 0 percent without an ETA', () => {
  assert.equal(estimateProgress(job({})), { percent: 0 });
});
estimate('bytes give percent, rate and the finish time at the observed rate', () => {
  const e = estimateProgress(job({ progress: { bytesDone: 250, bytesTotal: 1000, itemsDone: 1, itemsTotal: 4 } }));
  assert.is(e.percent, 25);
  assert.is(e.rate, 25);
  assert.is(e.eta, '2026-01-01T00:00:40.000Z');
});
estimate('items stand in when bytes are unknown', () => {
  assert.is(estimateProgress(job({ progress: { bytesDone: 0, bytesTotal: 0, itemsDone: 1, itemsTotal: 3 } })).percent, 33.3);
});
estimate('done is 100 percent; a queued job has no ETA', () => {
  assert.equal(estimateProgress(job({ status: 'done' })), { percent: 100 });
  assert.equal(estimateProgress(job({ status: 'queued', progress: { bytesDone: 5, bytesTotal: 10, itemsDone: 0, itemsTotal: 0 } })), { percent: 50 });
});
estimate.run();
