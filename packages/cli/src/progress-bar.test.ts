import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import type { ApiJob } from './api-types.js';
import { createProgressBar, describeProgress, formatBytes, formatDuration } from './progress-bar.js';

function job(status: ApiJob['status'], bytesDone: number, bytesTotal: number, extra: Partial<ApiJob['progress']> = {}): ApiJob {
  const percent = bytesTotal ? (bytesDone / bytesTotal) * 100 : 0;
  return {
    id: 'j1', type: 'zip', owner: 'o', status, version: 1, createdAt: '', updatedAt: '',
    progress: { bytesDone, bytesTotal, itemsDone: 0, itemsTotal: 0, percent, ...extra },
    links: { self: '', download: '', events: '' },
  };
}

function capture(tty: boolean) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream: Object.assign(stream, { isTTY: tty, columns: 200 }), text: () => text };
}

const format = suite('formatBytes / formatDuration');

format('binary units and short durations', () => {
  assert.is(formatBytes(0), '0 B');
  assert.is(formatBytes(1023), '1023 B');
  assert.is(formatBytes(1536), '1.5 KiB');
  assert.is(formatBytes(5 * 1024 ** 3), '5.0 GiB');
  assert.is(formatDuration(42_000), '42s');
  assert.is(formatDuration(65_000), '1m05s');
  assert.is(formatDuration(3_720_000), '1h02m');
});

format.run();

const describe = suite('describeProgress');

describe('shows bytes, percent, rate and ETA while processing', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const line = describeProgress(job('processing', 512 * 1024, 1024 * 1024, { rate: 1024 * 100, eta: '2026-01-01T00:01:05Z' }), now);
  assert.match(line, /processing/);
  assert.match(line, / 50%/);
  assert.match(line, /512\.0 KiB \/ 1\.0 MiB/);
  assert.match(line, /100\.0 KiB\/s/);
  assert.match(line, /ETA 1m05s/);
});

describe.run();

const bar = suite('createProgressBar');

bar('without a TTY: plain lines, only on a new status or 10 more percent', () => {
  const out = capture(false);
  const b = createProgressBar({ stream: out.stream });
  b.update(job('queued', 0, 0));
  b.update(job('processing', 0, 100));
  for (let done = 1; done <= 100; done++) b.update(job('processing', done, 100));
  b.update(job('done', 100, 100));
  b.done();
  const lines = out.text().split('\n').filter(Boolean);
  assert.not.match(out.text(), /\r/);
  assert.ok(lines.length >= 12 && lines.length <= 14, `${lines.length} lines`);
  assert.match(lines[0] ?? '', /^queued/);
  assert.match(lines.at(-1) ?? '', /^done .*100%/);
});

bar('on a TTY: one line redrawn in place, ended by done()', () => {
  const out = capture(true);
  let now = 0;
  const b = createProgressBar({ stream: out.stream, now: () => now, minIntervalMs: 100 });
  b.update(job('processing', 10, 100));
  now = 50;
  b.update(job('processing', 20, 100)); // within 100 ms: skipped
  now = 200;
  b.update(job('processing', 30, 100));
  b.update(job('done', 100, 100)); // final states are always drawn
  b.done();
  const text = out.text();
  assert.is(text.split('\r').length - 1, 3);
  assert.not.match(text, / 20%/);
  assert.ok(text.endsWith('\n'));
  assert.is(text.split('\n').length - 1, 1);
});

bar.run();
