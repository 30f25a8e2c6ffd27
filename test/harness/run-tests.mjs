#!/usr/bin/env node
/**
 * `npm test [-- filter…]`: makes sure Redis, Kafka and moto answer (starting them for
 * this run if needed and stopping them at the end, also on failure or Ctrl-C), then runs
 * every `*.test.ts` in its own process and ends with exactly one line
 * "N passed, N failed" (", N skipped" only if any); exit 1 if anything failed.
 *
 * Slow files (`*.slow.test.ts`: archives over 4 GiB, 70,000 objects through moto — minutes
 * each) run in a lane of their own beside the others, one at a time, against a moto of their
 * own (so their load does not slow every other file's S3 calls), with a longer time limit.
 * SKIP_SLOW=1 leaves them out.
 *
 * Variables: TEST_JOBS (files at once, default 1: Kafka's JVM needs one of the 2 cores),
 * TEST_FILE_TIMEOUT_SECONDS (default 300), TEST_SLOW_FILE_TIMEOUT_SECONDS (default 3600),
 * SKIP_SLOW.
 */
import { findTestFiles } from './find-tests.mjs';
import { readInfraState } from './infra-state.mjs';
import { say } from './log.mjs';
import { signalGroup } from './processes.mjs';
import { runningTestGroups, runTestFile } from './run-file.mjs';
import { ensureServers, killServersNow, startExtraMoto, stopServers } from './servers.mjs';
import { ensureOpsTools } from './install-tools.mjs';
import { describeCounts, judgeFile, summaryLine } from './totals.mjs';

const began = Date.now();
const jobs = positiveNumber(process.env.TEST_JOBS, 1, Math.floor);
const timeoutSeconds = positiveNumber(process.env.TEST_FILE_TIMEOUT_SECONDS, 300);
const slowTimeoutSeconds = positiveNumber(process.env.TEST_SLOW_FILE_TIMEOUT_SECONDS, 3600);
const skipSlow = process.env.SKIP_SLOW === '1';
const isSlow = (file) => file.endsWith('.slow.test.ts');
const totals = { passed: 0, failed: 0, skipped: 0 };
let started = [];
/** The exit code of the signal that interrupted the run (130 for Ctrl-C), or 0. */
let interrupted = 0;

function positiveNumber(text, fallback, round = (n) => n) {
  const n = round(Number(text));
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function print(line = '') {
  process.stdout.write(`${line}\n`);
}

function add(counts) {
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}

/** Stops our servers, then prints the wall time and the one closing line, and exits. */
async function finish(code) {
  if (started.length > 0) await stopServers(started).catch((err) => say(`stopping servers: ${err.message}`));
  started = [];
  print(`wall time ${((Date.now() - began) / 1000).toFixed(1)} s`);
  print(summaryLine(totals));
  process.exit(code ?? (totals.failed > 0 ? 1 : 0));
}

function report(file, run) {
  const verdict = judgeFile(run);
  add(verdict);
  const seconds = `(${run.seconds.toFixed(1)} s)`;
  const counts = describeCounts(verdict) + (verdict.problem ? ` — ${verdict.problem}` : '');
  if (verdict.failed === 0) return print(`✓ ${file}  ${counts}  ${seconds}`);
  print(`✗ ${file}  ${counts}  ${seconds}`);
  print(`──── output of ${file} ────`);
  print(run.output.trimEnd());
  print(`──── end of ${file} ────`);
}

async function runAll(files, { env, parallel, limitSeconds }) {
  let next = 0;
  const worker = async () => {
    while (next < files.length && !interrupted) {
      const file = files[next++];
      report(file, await runTestFile(file, { env, timeoutSeconds: limitSeconds }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, files.length) }, worker));
}

/** The slow lane's environment: the shared one with a moto of its own, if one starts. */
async function slowLaneEnv(env) {
  if (!env.AWS_ENDPOINT_URL) return env;
  try {
    const moto = await startExtraMoto();
    started.push(moto);
    return { ...env, AWS_ENDPOINT_URL: moto.url };
  } catch (err) {
    say(`no moto of their own for the slow files (${err.message.split('\n')[0]}): they share the other one`);
    return env;
  }
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    if (interrupted) {
      say(`${signal} again: killing everything now`);
      process.exit(code); // the 'exit' handler below SIGKILLs our servers
    }
    interrupted = code;
    say(`${signal}: stopping test files, then servers (again to force)`);
    // Each killed file is then reported (and counted) as failed by its own run, and the
    // main flow below stops the servers and prints the closing line.
    for (const group of runningTestGroups) signalGroup(group, 'SIGKILL');
  });
}
// Last resort if something below throws past us: never leave our servers behind.
process.on('exit', () => killServersNow(started));

const filters = process.argv.slice(2);
const files = findTestFiles(filters);
if (files.length === 0) {
  say(`no test files${filters.length ? ` match ${filters.map((f) => `'${f}'`).join(' or ')}` : ''}`);
  await finish(1);
}

let env = { ...process.env };
// The offline deployment checks need helm, checkov and friends: build them while the
// servers install and start, so no ops test file spends its time limit on installing.
const opsTools = files.some((file) => file.includes('test/ops/'))
  ? ensureOpsTools().catch((err) => say(`ops tools not ready, the ops tests will say why: ${err.message}`))
  : Promise.resolve();
try {
  const [servers] = await Promise.all([ensureServers({ known: readInfraState() }), opsTools]);
  started = servers.started;
  env = { ...env, ...servers.env };
} catch (err) {
  // Still run the files: unit tests need no servers, and integration tests then say
  // which variable is missing. The servers' failure itself counts as one failed test.
  print(`✗ servers  ${err.message}`);
  totals.failed += 1;
}
const slowFiles = files.filter(isSlow);
const mainFiles = files.filter((file) => !isSlow(file));
if (skipSlow) for (const file of slowFiles) print(`- ${file}  left out (SKIP_SLOW=1)`);
if (!interrupted) {
  const lanes = [];
  say(`running ${mainFiles.length} test file(s), ${jobs} at a time, ${timeoutSeconds} s limit each`);
  lanes.push(runAll(mainFiles, { env, parallel: jobs, limitSeconds: timeoutSeconds }));
  if (!skipSlow && slowFiles.length > 0) {
    say(`and beside them ${slowFiles.length} slow file(s), one at a time, ${slowTimeoutSeconds} s limit each`);
    lanes.push(slowLaneEnv(env).then((slowEnv) => runAll(slowFiles, { env: slowEnv, parallel: 1, limitSeconds: slowTimeoutSeconds })));
  }
  await Promise.all(lanes);
}
await finish(interrupted || undefined);
