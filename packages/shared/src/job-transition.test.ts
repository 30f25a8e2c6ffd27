import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  applyChange,
  changePhase,
  completeProgress,
  isAhead,
  isFinalStatus,
  queuedRecord,
  type JobRecord,
} from './job-transition.js';
import type { JobChange, JobProgress } from './ports/job-store.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const progress = (bytesDone: number, itemsDone = 0): JobProgress => ({ bytesDone, bytesTotal: 100, itemsDone, itemsTotal: 4 });
const started = (attempt: number, s: number): JobChange => ({ kind: 'started', attempt, at: at(s) });
const progressed = (attempt: number, s: number, bytes: number, items = 0): JobChange => ({
  kind: 'progressed', attempt, at: at(s), progress: progress(bytes, items),
});
const failed = (attempt: number, s: number, final: boolean): JobChange => ({
  kind: 'failed', attempt, at: at(s), final, error: { code: 'UNAVAILABLE', message: 'S3 busy', retriable: !final },
});
const completed = (attempt: number, s: number): JobChange => ({
  kind: 'completed', attempt, at: at(s), downloadUrl: 'https://example.test/a.zip', expiresAt: at(86_400),
  output: { bucket: 'artifacts', key: 'zips/a.zip', size: 42, contentType: 'application/zip' },
});
const fresh = (): JobRecord => queuedRecord({ id: 'j1', type: 'zip', owner: 'ann', input: { prefix: 'in/' } }, at(0));

/** Applies changes in order; the record after the last one that applied. */
function run(changes: JobChange[], record = fresh()): JobRecord {
  let current = record;
  changes.forEach((change, i) => {
    current = applyChange(current, change, at(1000 + i)) ?? current;
  });
  return current;
}

const phase = suite('changePhase');
phase('orders started < progressed < failed retry < completed = failed final', () => {
  assert.equal(
    [started(1, 1), progressed(1, 1, 5), failed(1, 1, false), completed(1, 1), failed(1, 1, true)].map(changePhase),
    [1, 2, 3, 4, 4],
  );
  assert.ok(isFinalStatus('done') && isFinalStatus('failed') && !isFinalStatus('processing'));
});
phase.run();

const ahead = suite('isAhead');
ahead('a later attempt beats any phase; within an attempt bytes then items decide', () => {
  const record = run([started(1, 1), progressed(1, 2, 50, 2)]);
  assert.ok(isAhead(record, started(2, 3)));
  assert.not.ok(isAhead(record, completed(0, 3)));
  assert.ok(isAhead(record, progressed(1, 3, 60, 0)));
  assert.ok(isAhead(record, progressed(1, 3, 50, 3)));
  assert.not.ok(isAhead(record, progressed(1, 3, 50, 2)));
  assert.not.ok(isAhead(record, progressed(1, 3, 40, 4)));
  assert.not.ok(isAhead(record, started(1, 0)));
});
ahead('progress is monotonic per attempt: a retry below the killed run\'s high-water mark applies, the attempt never moves back', () => {
  // Attempt 1 got to 90 bytes, then its worker was killed; attempt 2 starts over.
  const killed = run([started(1, 1), progressed(1, 2, 90, 3)]);
  assert.ok(isAhead(killed, progressed(2, 3, 10, 0)), 'the retry\'s first progress, before its started arrives');
  const retrying = run([progressed(2, 3, 10, 0)], killed);
  assert.is(retrying.job.attempt, 2);
  assert.is(retrying.job.progress.bytesDone, 10);
  assert.not.ok(isAhead(retrying, progressed(1, 4, 95, 4)), 'a late progress of the dead run');
  assert.not.ok(isAhead(retrying, progressed(2, 4, 5, 0)), 'an older progress of the same attempt');
  assert.ok(isAhead(retrying, progressed(2, 4, 20, 1)));
  const after = run([started(2, 3), progressed(1, 4, 95, 4), progressed(2, 5, 20, 1)], retrying);
  assert.equal([after.job.attempt, after.job.progress.bytesDone], [2, 20], 'percent keeps moving during the retry');
});
ahead.run();

const apply = suite('applyChange');

apply('walks a job through two attempts to done', () => {
  const record = run([
    started(1, 1), progressed(1, 2, 40, 1), failed(1, 3, false),
    started(2, 4), progressed(2, 5, 100, 4), completed(2, 6),
  ]);
  assert.is(record.job.status, 'done');
  assert.is(record.job.attempt, 2);
  assert.is(record.job.version, 7);
  assert.is(record.job.startedAt, at(4));
  assert.is(record.job.finishedAt, at(6));
  assert.is(record.job.error, undefined);
  assert.equal(record.job.output?.key, 'zips/a.zip');
  assert.equal(record.job.progress, { bytesDone: 100, bytesTotal: 100, itemsDone: 4, itemsTotal: 4 });
});

apply('completion fills progress up to the totals', () => {
  const record = run([started(1, 1), progressed(1, 2, 40, 1), completed(1, 3)]);
  assert.equal(record.job.progress, { bytesDone: 100, bytesTotal: 100, itemsDone: 4, itemsTotal: 4 });
});

apply('a non-final failure keeps the job processing with the error; the retry clears it', () => {
  const failedOnce = run([started(1, 1), progressed(1, 2, 40), failed(1, 3, false)]);
  assert.is(failedOnce.job.status, 'processing');
  assert.is(failedOnce.job.error?.code, 'UNAVAILABLE');
  assert.is(failedOnce.phase, 3);
  const retried = run([started(2, 4)], failedOnce);
  assert.is(retried.job.error, undefined);
  assert.equal(retried.job.progress, { bytesDone: 0, bytesTotal: 100, itemsDone: 0, itemsTotal: 4 });
});

apply('final states absorb every later change', () => {
  const done = run([started(1, 1), completed(1, 2)]);
  for (const late of [progressed(1, 3, 99), started(2, 3), failed(2, 3, true), completed(3, 3)]) {
    assert.is(applyChange(done, late, at(10)), undefined);
  }
  const dead = run([started(1, 1), failed(1, 2, true)]);
  assert.is(dead.job.status, 'failed');
  assert.is(dead.job.finishedAt, at(2));
  assert.is(applyChange(dead, started(2, 3), at(10)), undefined);
});

apply('duplicates and stale changes do not apply', () => {
  const record = run([started(1, 1), progressed(1, 2, 40)]);
  assert.is(applyChange(record, progressed(1, 2, 40), at(9)), undefined);
  assert.is(applyChange(record, progressed(1, 1, 30), at(9)), undefined);
  assert.is(applyChange(record, started(1, 1), at(9)), undefined);
});

apply('a late started of the current attempt still records the earliest start', () => {
  const record = run([progressed(2, 5, 10), started(2, 4)]);
  assert.is(record.job.startedAt, at(4));
  assert.is(record.job.version, 3);
  assert.equal(record.job.progress.bytesDone, 10);
  assert.is(applyChange(record, started(2, 6), at(9)), undefined);
});

apply('updatedAt never goes backwards', () => {
  const record = applyChange(fresh(), started(1, 1), at(5000))!;
  const next = applyChange(record, progressed(1, 2, 10), at(10))!;
  assert.is(next.job.updatedAt, at(5000));
});

apply('does not change the record it was given', () => {
  const record = run([started(1, 1)]);
  const before = JSON.stringify(record);
  applyChange(record, completed(1, 2), at(9));
  assert.is(JSON.stringify(record), before);
});

apply.run();

const complete = suite('completeProgress');
complete('fills done counts up to the totals', () => {
  assert.equal(completeProgress({ bytesDone: 7, bytesTotal: 10, itemsDone: 1, itemsTotal: 2 }), {
    bytesDone: 10, bytesTotal: 10, itemsDone: 2, itemsTotal: 2,
  });
});
complete.run();

const queued = suite('queuedRecord');
queued('starts queued at attempt 0, version 1, createdAt normalized', () => {
  const record = queuedRecord({ id: 'j', type: 'report', owner: 'o', input: {}, createdAt: '2030-01-01T00:00:00Z' }, at(5));
  assert.is(record.job.status, 'queued');
  assert.is(record.job.attempt, 0);
  assert.is(record.job.version, 1);
  assert.is(record.job.createdAt, '2030-01-01T00:00:00.000Z');
  assert.throws(() => queuedRecord({ id: '', type: 'zip', owner: 'o', input: {} }, at(0)));
});
queued.run();
