/**
 * Every reader against one archive, at the same time: each either reads back exactly the
 * entries (names, kinds, sizes, SHA-256) we wrote, or reports what it saw instead.
 */
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniqueName, withDeadline } from '../harness/support.js';
import type { BuiltArchive, ExpectedEntry } from './zip-fixtures.js';
import {
  type ReadEntry,
  listWithBsdtar,
  readWithJava,
  readWithPython,
  streamWithBsdtar,
  testWith7z,
  testWithUnzip,
} from './zip-tools.js';

function compareEntries(seen: readonly ReadEntry[], expected: readonly ExpectedEntry[]): string | undefined {
  const n = Math.max(seen.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = seen[i];
    const b = expected[i];
    const same = a && b && a.name === b.name && a.directory === b.directory && a.size === b.size && a.sha256 === b.sha256;
    if (!same) return `entry ${i} of ${expected.length}: read ${JSON.stringify(a)}, wrote ${JSON.stringify(b)}`;
  }
  return undefined;
}

function compareNames(seen: readonly string[], expected: readonly ExpectedEntry[]): string | undefined {
  if (seen.length !== expected.length) return `listed ${seen.length} entries, wrote ${expected.length}`;
  const i = seen.findIndex((name, k) => name !== expected[k]!.name);
  return i === -1 ? undefined : `entry ${i}: listed ${JSON.stringify(seen[i])}, wrote ${JSON.stringify(expected[i]!.name)}`;
}

/** One line per reader that did not read the archive exactly as written; [] when all did. */
export async function problemsWithEveryReader(built: BuiltArchive, timeoutMs: number): Promise<string[]> {
  const { file, entries } = built;
  const checks: [label: string, check: () => Promise<string | undefined>][] = [
    ['python zipfile', async () => compareEntries(await readWithPython(file, timeoutMs), entries)],
    ['java ZipFile', async () => compareEntries(await readWithJava(file, timeoutMs), entries)],
    ['unzip -t', async () => testWithUnzip(file, timeoutMs).then(() => undefined)],
    ['7z t', async () => testWith7z(file, timeoutMs).then(() => undefined)],
    ['bsdtar -tf', async () => compareNames(await listWithBsdtar(file, timeoutMs), entries)],
    [
      'bsdtar -xOf - (streaming, from a pipe)',
      async () => {
        const files = entries.filter((e) => !e.directory);
        const out = await streamWithBsdtar(file, files.map((e) => e.size), timeoutMs);
        if (out.extraBytes > 0) return `extracted ${out.extraBytes} bytes more than written`;
        const i = out.sha256.findIndex((sha256, k) => sha256 !== files[k]!.sha256);
        return i === -1 ? undefined : `file ${i} (${files[i]!.name}) extracted with SHA-256 ${out.sha256[i]}, wrote ${files[i]!.sha256}`;
      },
    ],
  ];
  const results = await Promise.allSettled(checks.map(([, check]) => check()));
  return results.flatMap((result, i) => {
    const label = checks[i]![0];
    if (result.status === 'rejected') return [`${label}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`];
    return result.value === undefined ? [] : [`${label}: ${result.value}`];
  });
}

/** A suite context owning one scratch folder for its archives. */
export interface ReaderCtx {
  dir: string;
}

export async function makeDir(ctx: ReaderCtx): Promise<void> {
  ctx.dir = await mkdtemp(path.join(tmpdir(), `${uniqueName('zip-readers')}-`));
}

export async function removeDir(ctx: ReaderCtx): Promise<void> {
  if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
}

/** Every reader reads the archive exactly as written, within `timeoutMs`. */
export async function readBack(built: BuiltArchive, timeoutMs: number): Promise<void> {
  const problems = await withDeadline(problemsWithEveryReader(built, timeoutMs), timeoutMs + 5_000, 'the readers');
  assert.equal(problems, [], problems.join('\n'));
}
