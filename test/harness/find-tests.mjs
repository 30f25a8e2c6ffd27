/**
 * Every `*.test.ts` under packages/*\/src, services/*\/src and test/ — never inside
 * node_modules, dist, .cache or hidden folders — as repository-relative paths, sorted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

const skipped = new Set(['node_modules', 'dist', '.cache', 'coverage']);

function* walk(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // a workspace without src/ yet
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || skipped.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) yield full;
  }
}

function workspaceSources(group) {
  const base = path.join(repoRoot, group);
  if (!fs.existsSync(base)) return [];
  return fs.readdirSync(base).map((name) => path.join(base, name, 'src'));
}

/** Test files whose path contains any of `filters` (all files when there are none). */
export function findTestFiles(filters = [], root = repoRoot) {
  const roots = [...workspaceSources('packages'), ...workspaceSources('services'), path.join(root, 'test')];
  const files = roots.flatMap((dir) => [...walk(dir)]).map((f) => path.relative(root, f));
  const wanted = filters.length === 0 ? files : files.filter((f) => filters.some((s) => f.includes(s)));
  return [...new Set(wanted)].sort();
}
