/**
 * Draws a job's progress: bytes done / total, percent, rate and ETA. On a TTY one line is
 * redrawn in place (`\r`, at most every `minIntervalMs`, default 100 ms); otherwise — logs,
 * pipes, CI — a plain line is printed only when the status or the whole percent changes by
 * at least 10 points, so a log does not fill with progress.
 */
import type { Writable } from 'node:stream';
import type { ApiJob } from './api-types.js';

export interface ProgressBarOptions {
  stream: Writable & { isTTY?: boolean; columns?: number };
  /** Default: the stream's own isTTY. */
  tty?: boolean;
  minIntervalMs?: number;
  now?: () => number;
}

export interface ProgressBar {
  update(job: ApiJob): void;
  /** Ends the redrawn line (TTY) so what follows starts on its own line. */
  done(): void;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `1m05s`, `42s`; ETA is an ISO time from the API, shown as time left. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  return m > 0 ? `${m}m${String(rest).padStart(2, '0')}s` : `${rest}s`;
}

export function describeProgress(job: ApiJob, now: number, width = 24): string {
  const { bytesDone, bytesTotal, percent, rate, eta } = job.progress;
  const pct = Math.max(0, Math.min(100, Math.round(percent)));
  const filled = Math.round((pct / 100) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const bytes = bytesTotal > 0 ? `${formatBytes(bytesDone)} / ${formatBytes(bytesTotal)}` : formatBytes(bytesDone);
  const parts = [`${job.status.padEnd(10)}`, bar, `${String(pct).padStart(3)}%`, bytes];
  if (rate !== undefined && rate > 0) parts.push(`${formatBytes(rate)}/s`);
  if (eta !== undefined && job.status === 'processing') parts.push(`ETA ${formatDuration(Date.parse(eta) - now)}`);
  return parts.join('  ');
}

export function createProgressBar({ stream, tty = stream.isTTY === true, minIntervalMs = 100, now = Date.now }: ProgressBarOptions): ProgressBar {
  let lastDraw = 0;
  let lastStatus = '';
  let lastPercent = -100;
  let drawn = false;
  return {
    update(job) {
      const t = now();
      const final = job.status === 'done' || job.status === 'failed';
      if (tty) {
        if (!final && job.status === lastStatus && t - lastDraw < minIntervalMs) return;
        const line = describeProgress(job, t).slice(0, Math.max(20, (stream.columns ?? 100) - 1));
        stream.write(`\r${line}\x1b[K`);
        drawn = true;
      } else {
        const pct = Math.round(job.progress.percent);
        if (job.status === lastStatus && pct - lastPercent < 10 && !final) return;
        stream.write(`${describeProgress(job, t)}\n`);
        lastPercent = pct;
      }
      lastDraw = t;
      lastStatus = job.status;
    },
    done() {
      if (tty && drawn) stream.write('\n');
      drawn = false;
    },
  };
}
