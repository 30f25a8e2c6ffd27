/**
 * The harness's voice: progress goes to stderr (stdout is reserved for `export` lines and
 * the test runner's report), each step with how long it took, so a slow first run explains
 * itself ("installing moto into .cache/servers/moto-venv… 41.2 s").
 */

/** One progress line on stderr, prefixed so it stands apart from test output. */
export function say(message) {
  process.stderr.write(`[harness] ${message}\n`);
}

/** Seconds since `startMs`, one decimal: "41.2 s". */
export function secondsSince(startMs) {
  return `${((Date.now() - startMs) / 1000).toFixed(1)} s`;
}

/**
 * Runs `work`, announcing it before and its duration after. A failure is announced too
 * and then rethrown unchanged, so the caller decides what it means.
 */
export async function step(label, work) {
  const started = Date.now();
  say(`${label}…`);
  try {
    const result = await work();
    say(`${label}… ${secondsSince(started)}`);
    return result;
  } catch (err) {
    say(`${label}… failed after ${secondsSince(started)}`);
    throw err;
  }
}
