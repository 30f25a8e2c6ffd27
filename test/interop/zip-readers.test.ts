/**
 * Archives from the zipper's writer, read back by the readers users have: Python's
 * zipfile, Info-ZIP unzip, 7-Zip, libarchive (bsdtar, seekable and streaming from a pipe)
 * and Java's ZipFile. Every entry is compared by SHA-256. The archives over 4 GiB are in
 * zip-readers-large.slow.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { withDeadline } from '../harness/support.js';
import { writeArchive } from './zip-fixtures.js';
import { makeDir, readBack, removeDir, type ReaderCtx as Ctx } from './zip-reader-checks.js';
import { manyTinyEntries, nestedTree } from './zip-specs.js';
import { TOOL_PACKAGES, runTool } from './zip-tools.js';

const tools = suite('the ZIP readers');

tools('are installed (else: the Debian package to install)', async () => {
  const probes: [string, string[]][] = [
    ['python3', ['--version']],
    ['unzip', ['-v']],
    ['7z', ['i']],
    ['bsdtar', ['--version']],
    ['java', ['--version']],
  ];
  for (const [command, args] of probes) {
    const r = await runTool(command, args, { timeoutMs: 20_000 });
    assert.is(r.code, 0, `${command} failed: install the Debian package '${TOOL_PACKAGES[command]}'`);
  }
});

tools.run();

const tree = suite<Ctx>('a nested tree: unicode and spaces, empty file and folder, stored and deflated', { dir: '' });
tree.before(makeDir);
tree.after(removeDir);

tree('every reader reads every entry byte for byte', async (ctx) => {
  const built = await withDeadline(writeArchive(path.join(ctx.dir, 'tree.zip'), await nestedTree()), 20_000, 'writing the tree');
  assert.ok(built.entries.some((e) => e.directory) && built.entries.some((e) => e.size === 0 && !e.directory));
  assert.ok(built.entries.some((e) => /[^\x00-\x7f]/.test(e.name) && e.name.includes(' ')));
  assert.is(built.summary.zip64, false);
  await readBack(built, 30_000);
});

tree.run();

const many = suite<Ctx>('70,000 tiny entries (ZIP64 end of central directory)', { dir: '' });
many.before(makeDir);
many.after(removeDir);

many('every reader reads every entry byte for byte', async (ctx) => {
  const built = await withDeadline(writeArchive(path.join(ctx.dir, 'many.zip'), manyTinyEntries(70_000)), 120_000, 'writing 70,000 entries');
  assert.is(built.summary.entries, 70_000);
  assert.is(built.summary.zip64, true);
  await readBack(built, 60_000);
});

many.run();
