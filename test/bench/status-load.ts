/**
 * Open-loop HTTP load (used by status.bench.ts): `node status-load.js <url> <rps> <seconds>
 * [authorization]`. Request i is due at start + i/rps whatever the answers do; every timer
 * tick sends all requests due by then (never one early). Being open-loop, a slow answer never
 * holds later requests back, so a server stall shows in the latencies of everything sent
 * during it (no coordinated omission). Latency counts from when the request went out; how
 * late it went out (the generator's own timer slack, ~1 ms ticks) is reported apart as lag,
 * so the generator's clock is not charged to the server.
 * Prints one JSON line: {sent, ok, errors, errorKinds, p50Ms, p99Ms, maxMs, lagP99Ms, achievedRps};
 * errorKinds counts failures by HTTP status or socket error code, so a failure says what it was.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const [url, rpsText, secondsText, authorization] = process.argv.slice(2);
const rps = Number(rpsText);
const seconds = Number(secondsText);
if (!url || !(rps > 0) || !(seconds > 0)) {
  process.stderr.write('usage: status-load.js <url> <rps> <seconds> [authorization]\n');
  process.exit(2);
}
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const headers = authorization ? { authorization } : {};
const latencies: number[] = [];
const lags: number[] = [];
let ok = 0;
let errors = 0;
let errorKinds: Record<string, number> = {};
const failed = (kind: string) => {
  errors++;
  errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
};

function once(due: number): Promise<void> {
  const sent = performance.now();
  lags.push(sent - due);
  return new Promise((resolve) => {
    const req = request(url!, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - sent);
        if (res.statusCode === 200) ok++;
        else failed(`http ${res.statusCode}`);
        resolve();
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      failed(err.code ?? err.message);
      resolve();
    });
    req.end();
  });
}

// Warm-up, not measured: open the connections, let both sides' JIT settle.
for (let i = 0; i < 500; i++) await once(performance.now());
latencies.length = 0;
lags.length = 0;
ok = 0;
errors = 0;
errorKinds = {};

const total = Math.round(rps * seconds);
const intervalMs = 1000 / rps;
const start = performance.now();
const pending: Promise<void>[] = [];
let i = 0;
while (i < total) {
  const now = performance.now();
  for (let due = start + i * intervalMs; i < total && due <= now; due = start + ++i * intervalMs) pending.push(once(due));
  if (i < total) await sleep(Math.max(0, start + i * intervalMs - performance.now()));
}
await Promise.all(pending);
const elapsed = (performance.now() - start) / 1000;
const quantile = (values: number[]) => {
  values.sort((a, b) => a - b);
  return (q: number): number => Math.round(values[Math.min(values.length - 1, Math.floor(q * values.length))]! * 1000) / 1000;
};
const at = quantile(latencies);
const lag = quantile(lags);
process.stdout.write(`${JSON.stringify({ sent: total, ok, errors, errorKinds, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1), lagP99Ms: lag(0.99), achievedRps: Math.round(total / elapsed) })}\n`);
agent.destroy();
