/**
 * Child processes the harness owns: install commands that must succeed, and servers that
 * run in their own process group (so a stop reaches every process they spawned) with
 * their output in a log file whose tail explains any failure.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Environment for install tools: nothing may prompt (CI has no stdin). */
export const quietEnv = {
  ...process.env,
  DEBIAN_FRONTEND: 'noninteractive',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
  PIP_NO_INPUT: '1',
};

/** The last `lines` lines of a log file, or a note that there is none. */
export function logTail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n') || '(log is empty)';
  } catch {
    return `(no log at ${file})`;
  }
}

/**
 * Runs a command to completion; resolves with its combined output, rejects with the
 * command line, exit status and the output's tail (the part that says what went wrong).
 */
export function runCommand(command, args, { cwd, env = quietEnv } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', (err) => reject(new Error(`${command}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(output);
      const tail = output.trimEnd().split('\n').slice(-40).join('\n');
      reject(new Error(`'${[command, ...args].join(' ')}' exited with ${signal ?? code}:\n${tail}`));
    });
  });
}

/**
 * Starts a long-running server in its own process group, stdout and stderr appended to
 * `logFile`. Detached and unref'd: it outlives this process unless someone stops it.
 */
export function spawnServer(command, args, { cwd, env = process.env, logFile }) {
  const out = fs.openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
    child.on('error', () => {}); // reported through the readiness wait and the log
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command} (is it installed?)`);
    return child.pid;
  } finally {
    fs.closeSync(out);
  }
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The command line of a running pid (Linux /proc), to make sure a pid is still ours. */
export function commandLineOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * Polls `ready()` every 200 ms until it is true; fails early if the process exits, and
 * after `timeoutMs` — either way with the log's tail, which usually names the cause.
 */
export async function waitUntilReady({ name, pid, logFile, ready, timeoutMs }) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    if (!isAlive(pid)) {
      throw new Error(`${name} exited before it was ready; last lines of ${logFile}:\n${logTail(logFile)}`);
    }
    if (Date.now() > until) {
      throw new Error(`${name} was not ready within ${timeoutMs / 1000} s; last lines of ${logFile}:\n${logTail(logFile)}`);
    }
    await sleep(200);
  }
}

/**
 * Waits for a server just spawned; if it never gets ready, stops it and removes its
 * folder before rethrowing (the error already carries the log's tail).
 */
export async function readyOrStopped(server, wait) {
  try {
    await waitUntilReady({ ...wait, pid: server.pid, logFile: server.logFile });
    return server;
  } catch (err) {
    await stopServer(server.pid, { graceMs: 2000 });
    fs.rmSync(server.runDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Stops a server's whole process group: SIGTERM, then SIGKILL after `graceMs`
 * (default 10,000 ms — Kafka's controlled shutdown takes a few seconds).
 */
export async function stopServer(pid, { graceMs = 10_000 } = {}) {
  if (!signalGroup(pid, 'SIGTERM')) return;
  const until = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < until) await sleep(100);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (isAlive(pid) && Date.now() < until + 5000) await sleep(100);
}

/** Signals the process group led by `pid` (falls back to the pid alone); false if gone. */
export function signalGroup(pid, signal) {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return true;
    } catch {
      // not a group leader, or already gone: try the next form
    }
  }
  return false;
}
