/**
 * Reads what a test file printed and turns it into counts. uvu ends every run with
 *   Total:     12      (tests that ran)
 *   Passed:    11
 *   Skipped:   1       (test.skip plus tests left out by test.only)
 * (uvu 0.5.6, dist/index.mjs `exec`); failed = Total − Passed. A file that exits non-zero
 * without a failure in its totals, prints no totals, or times out counts as one failed test:
 * something a user would notice went wrong even if no assertion said so.
 */

/** Removes ANSI colour and cursor sequences (uvu colours its output on a terminal). */
export function stripAnsi(text) {
  // CSI sequences: ESC [ params letter; also the rarer ESC-letter forms.
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[@-Z\\-_]/g, '');
}

const totalsBlock = /^\s*Total:\s+(\d+)\s*\r?\n\s*Passed:\s+(\d+)\s*\r?\n\s*Skipped:\s+(\d+)/gm;

/** The sum of every uvu totals block in `output`, or undefined when there is none. */
export function parseTotals(output) {
  let found;
  for (const m of stripAnsi(output).matchAll(totalsBlock)) {
    const [total, passed, skipped] = [m[1], m[2], m[3]].map(Number);
    found ??= { passed: 0, failed: 0, skipped: 0 };
    found.passed += passed;
    found.failed += Math.max(0, total - passed);
    found.skipped += skipped;
  }
  return found;
}

/**
 * The verdict on one file run: {passed, failed, skipped, problem?}. `problem` explains
 * an extra failure that did not come from an assertion (no totals, crash, timeout).
 */
export function judgeFile({ output, exitCode, signal = null, timedOutAfterSeconds }) {
  const totals = parseTotals(output);
  const counts = totals ?? { passed: 0, failed: 0, skipped: 0 };
  let problem;
  if (timedOutAfterSeconds !== undefined) {
    problem = `timed out after ${timedOutAfterSeconds} s${totals ? ' (its tests finished, but something kept it alive)' : ''}`;
  } else if (!totals) {
    problem = `printed no totals (exit ${signal ?? exitCode})`;
  } else if ((exitCode !== 0 || signal) && counts.failed === 0) {
    problem = `exited with ${signal ?? exitCode} although every test passed`;
  }
  return problem ? { ...counts, failed: counts.failed + 1, problem } : counts;
}

/** "12 passed, 1 failed, 2 skipped": failed and skipped only when non-zero (per-file lines). */
export function describeCounts({ passed, failed, skipped }) {
  return [`${passed} passed`, failed ? `${failed} failed` : '', skipped ? `${skipped} skipped` : '']
    .filter(Boolean)
    .join(', ');
}

/** The runner's closing line: "N passed, N failed", plus ", N skipped" only if any. */
export function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
