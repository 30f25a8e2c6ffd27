/**
 * Runs one test file in its own Node process, the way a person would:
 * `node --conditions=source --import tsx <file>` (uvu suites run themselves when the file
 * is executed directly). The child leads its own process group, so a timeout or Ctrl-C
 * also ends whatever it spawned.
 */
import { spawn } from 'node:child_process';
import { repoRoot } from './paths.mjs';

/** Process-group ids of test files running now, for the runner's Ctrl-C handler. */
export const runningTestGroups = new Set();

/**
 * Resolves with {output, exitCode, signal, timedOutAfterSeconds?, seconds}; never rejects.
 * `timeoutSeconds`: SIGTERM after it, SIGKILL 5 s later.
 */
export function runTestFile(file, { env, timeoutSeconds }) {
  const began = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timedOut = false;
    let exit;
    let closed = false;
    const collect = (chunk) => (output += chunk);
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    if (child.pid !== undefined) runningTestGroups.add(child.pid);

    // Only ever the group (negative pid), and only while we have not seen it close:
    // a bare pid may already belong to another process.
    const killGroup = (signal) => {
      if (closed || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // nothing left in the group
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 5000).unref();
    }, timeoutSeconds * 1000);

    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      runningTestGroups.delete(child.pid);
      const result = { output, exitCode: exit?.code ?? null, signal: exit?.signal ?? null };
      if (timedOut) result.timedOutAfterSeconds = timeoutSeconds;
      resolve({ ...result, seconds: (Date.now() - began) / 1000 });
    };
    child.on('error', (err) => {
      output += `\ncould not start node: ${err.message}\n`;
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Anything the file left running shares its pipes and would hold 'close' back:
      // give the pipes 2 s to drain, then end the leftovers.
      setTimeout(() => killGroup('SIGKILL'), 2000).unref();
    });
    child.on('close', finish);
  });
}
