/**
 * The runner's counting: what it reads from a test file's output decides the closing
 * "N passed, N failed" line, so every way a file can end is pinned down here with the
 * exact text uvu 0.5.6 prints.
 */
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { describeCounts, judgeFile, parseTotals, stripAnsi, summaryLine } from './totals.mjs';

/** uvu's closing block, byte for byte as `exec` writes it (colours optional). */
function uvuTotals(total: number, passed: number, skipped: number, colour = false): string {
  const c = (code: number, text: string | number) => (colour ? `\u001b[${code}m${text}\u001b[39m` : String(text));
  return (
    '\n  Total:     ' + total +
    c(passed === total ? 32 : 31, '\n  Passed:    ' + passed) +
    '\n  Skipped:   ' + (skipped ? c(33, skipped) : skipped) +
    '\n  Duration:  12.34ms\n\n'
  );
}

const stripAnsiSuite = suite('stripAnsi');

stripAnsiSuite('is a function', () => {
  assert.type(stripAnsi, 'function');
});

stripAnsiSuite('removes colours and bold but keeps the text', () => {
  assert.is(stripAnsi('\u001b[1m\u001b[32m✓\u001b[39m\u001b[22m ok'), '✓ ok');
});

stripAnsiSuite('leaves plain text alone', () => {
  assert.is(stripAnsi('  Total:     3\n'), '  Total:     3\n');
});

stripAnsiSuite.run();

const parseTotalsSuite = suite('parseTotals');

parseTotalsSuite('is a function', () => {
  assert.type(parseTotals, 'function');
});

parseTotalsSuite('reads a passing run', () => {
  assert.equal(parseTotals(' retry  •••  (3 / 3)\n' + uvuTotals(3, 3, 0)), { passed: 3, failed: 0, skipped: 0 });
});

parseTotalsSuite('failed is Total minus Passed; skipped is counted apart', () => {
  assert.equal(parseTotals(uvuTotals(12, 10, 2)), { passed: 10, failed: 2, skipped: 2 });
});

parseTotalsSuite('reads coloured output the same as plain', () => {
  assert.equal(parseTotals(uvuTotals(5, 4, 1, true)), { passed: 4, failed: 1, skipped: 1 });
});

parseTotalsSuite('returns undefined when no totals were printed', () => {
  assert.is(parseTotals('TypeError: x is not a function\n    at file.test.ts:3:1\n'), undefined);
});

parseTotalsSuite('is not fooled by a test that prints "Total:" alone', () => {
  assert.is(parseTotals('Total: 40 rows written\n'), undefined);
});

parseTotalsSuite('adds up several blocks', () => {
  assert.equal(parseTotals(uvuTotals(2, 2, 0) + uvuTotals(3, 1, 1)), { passed: 3, failed: 2, skipped: 1 });
});

parseTotalsSuite('copes with CRLF line ends', () => {
  assert.equal(parseTotals(uvuTotals(4, 3, 0).replaceAll('\n', '\r\n')), { passed: 3, failed: 1, skipped: 0 });
});

parseTotalsSuite.run();

const judgeFileSuite = suite('judgeFile');

judgeFileSuite('is a function', () => {
  assert.type(judgeFile, 'function');
});

judgeFileSuite('a clean run counts only its tests', () => {
  assert.equal(judgeFile({ output: uvuTotals(7, 7, 0), exitCode: 0 }), { passed: 7, failed: 0, skipped: 0 });
});

judgeFileSuite('a failing run (uvu exits 1) counts its failures, nothing extra', () => {
  assert.equal(judgeFile({ output: uvuTotals(7, 5, 0), exitCode: 1 }), { passed: 5, failed: 2, skipped: 0 });
});

judgeFileSuite('a before hook that throws shows as Passed 0 with exit 0: every test fails', () => {
  // uvu's runner swallows a throwing `before` in its `finally` and leaves the exit code 0.
  assert.equal(judgeFile({ output: uvuTotals(4, 0, 0), exitCode: 0 }), { passed: 0, failed: 4, skipped: 0 });
});

judgeFileSuite('a crash before any totals is one failure with the exit code named', () => {
  const verdict = judgeFile({ output: 'SyntaxError: Unexpected token\n', exitCode: 1 });
  assert.is(verdict.failed, 1);
  assert.is(verdict.passed, 0);
  assert.match(verdict.problem ?? '', /no totals \(exit 1\)/);
});

judgeFileSuite('exit 0 without totals is still a failure (uvu never ran)', () => {
  const verdict = judgeFile({ output: '', exitCode: 0 });
  assert.is(verdict.failed, 1);
});

judgeFileSuite('a non-zero exit after all-passing totals adds one failure', () => {
  const verdict = judgeFile({ output: uvuTotals(3, 3, 0), exitCode: 1 });
  assert.equal([verdict.passed, verdict.failed], [3, 1]);
  assert.match(verdict.problem ?? '', /exited with 1/);
});

judgeFileSuite('a kill by signal after passing totals adds one failure', () => {
  const verdict = judgeFile({ output: uvuTotals(3, 3, 0), exitCode: null, signal: 'SIGKILL' });
  assert.equal([verdict.passed, verdict.failed], [3, 1]);
  assert.match(verdict.problem ?? '', /SIGKILL/);
});

judgeFileSuite('a timeout is one more failure, also when the tests had finished', () => {
  const hung = judgeFile({ output: uvuTotals(2, 2, 0), exitCode: null, signal: 'SIGTERM', timedOutAfterSeconds: 300 });
  assert.equal([hung.passed, hung.failed], [2, 1]);
  assert.match(hung.problem ?? '', /timed out after 300 s \(its tests finished/);
  const stuck = judgeFile({ output: ' a  ••', exitCode: null, signal: 'SIGTERM', timedOutAfterSeconds: 5 });
  assert.equal([stuck.passed, stuck.failed], [0, 1]);
});

judgeFileSuite.run();

const describeCountsSuite = suite('describeCounts');

describeCountsSuite('is a function', () => {
  assert.type(describeCounts, 'function');
});

describeCountsSuite('names failed and skipped only when there are some', () => {
  assert.is(describeCounts({ passed: 12, failed: 0, skipped: 0 }), '12 passed');
  assert.is(describeCounts({ passed: 10, failed: 2, skipped: 1 }), '10 passed, 2 failed, 1 skipped');
});

describeCountsSuite.run();

const summaryLineSuite = suite('summaryLine');

summaryLineSuite('is a function', () => {
  assert.type(summaryLine, 'function');
});

summaryLineSuite('always names failed, even when zero, in the form CI reads', () => {
  assert.is(summaryLine({ passed: 107, failed: 0, skipped: 0 }), '107 passed, 0 failed');
  assert.match(summaryLine({ passed: 1, failed: 0, skipped: 0 }), /^\d+ passed, \d+ failed$/);
});

summaryLineSuite('adds skipped only if any', () => {
  assert.is(summaryLine({ passed: 3, failed: 1, skipped: 2 }), '3 passed, 1 failed, 2 skipped');
});

summaryLineSuite.run();
