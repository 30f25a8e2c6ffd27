/**
 * Where the harness keeps things. Everything lives under the repository's git-ignored
 * `.cache/` so a fresh clone starts empty and a second run reuses what the first installed.
 */
import path from 'node:path';

/** The repository root: two levels above this file (test/harness/). */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export const cacheDir = path.join(repoRoot, '.cache');
/** Installed servers: the moto virtualenv and the Kafka jars. */
export const serversDir = path.join(cacheDir, 'servers');
/** What `infra.mjs up` started and `down` stops. */
export const infraStateFile = path.join(cacheDir, 'infra', 'state.json');
/** Install locks, so two harness runs never fill the same folder at once. */
export const locksDir = path.join(cacheDir, 'locks');

/** `abs` relative to the repository, for messages. */
export function shown(abs) {
  const rel = path.relative(repoRoot, abs);
  return rel.startsWith('..') ? abs : rel;
}
