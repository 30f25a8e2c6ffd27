#!/usr/bin/env node
/**
 * Open-loop HTTP load (used by status.bench.ts): `node status-load.mjs <url> <rps> <seconds>
 * [authorization]`. Requests start on a fixed schedule whatever the answers do, and each
 * latency counts from its scheduled start (no coordinated omission). Prints one JSON line:
 * {sent, ok, errors, p50Ms, p99Ms, maxMs, achievedRps}.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'node:http';

const [url, rpsText, secondsText, authorization] = process.argv.slice(2);
const rps = Number(rpsText);
const seconds = Number(secondsText);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const latencies = [];
let ok = 0;
let errors = 0;

function once(scheduled) {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers: authorization ? { authorization } : {} }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - scheduled);
        if (res.statusCode === 200) ok++;
        else errors++;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end();
  });
}

// Warm-up: connections and JIT, not measured.
for (let i = 0; i < 200; i++) await once(performance.now());
latencies.length = 0;
ok = 0;
errors = 0;

const total = Math.round(rps * seconds);
const start = performance.now();
const pending = [];
for (let i = 0; i < total; i++) {
  const scheduled = start + (i * 1000) / rps;
  const wait = scheduled - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  // A request sent early (timer granularity) counts from when it was sent.
  pending.push(once(Math.max(scheduled, performance.now())));
}
await Promise.all(pending);
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 1000) / 1000;
process.stdout.write(`${JSON.stringify({ sent: total, ok, errors, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1), achievedRps: Math.round(total / elapsed) })}\n`);
agent.destroy();
