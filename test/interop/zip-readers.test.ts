/**
 * Archives from the zipper's writer, read back by the readers users have: Python's
 * zipfile, Info-ZIP unzip, 7-Zip, libarchive (bsdtar, seekable and streaming from a pipe)
 * and Java's ZipFile. Every entry is compared by SHA-256. The archives over 4 GiB take
 * minutes and are skipped with SKIP_SLOW=1.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniqueName, withDeadline } from '../harness/support.js';
import { type BuiltArchive, writeArchive } from './zip-fixtures.js';
import { problemsWithEveryReader } from './zip-reader-checks.js';
import { incompressibleDeflateOver4GiB, manyTinyEntries, nestedTree, oneDeflatedEntryOver4GiB, oneStoredEntryOver4GiB } from './zip-specs.js';
import { TOOL_PACKAGES, runTool } from './zip-tools.js';

const GiB = 2 ** 30;
const SKIP_SLOW = process.env.SKIP_SLOW === '1';

interface Ctx {
  dir: string;
}

async function makeDir(ctx: Ctx): Promise<void> {
  ctx.dir = await mkdtemp(path.join(tmpdir(), `${uniqueName('zip-readers')}-`));
}

async function removeDir(ctx: Ctx): Promise<void> {
  if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
}

async function readBack(built: BuiltArchive, timeoutMs: number): Promise<void> {
  const problems = await withDeadline(problemsWithEveryReader(built, timeoutMs), timeoutMs + 5_000, 'the readers');
  assert.equal(problems, [], problems.join('\n'));
}

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
  const built = await withDeadline(writeArchive(path.join(ctx.dir, 'many.zip'), manyTinyEntries(70_000)), 40_000, 'writing 70,000 entries');
  assert.is(built.summary.entries, 70_000);
  assert.is(built.summary.zip64, true);
  await readBack(built, 60_000);
});

many.run();

const SLOW: [label: string, build: (dir: string) => Promise<BuiltArchive>, check: (b: BuiltArchive) => void][] = [
  [
    'one stored entry of 4 GiB + 1 MiB, then one past the 4 GiB offset',
    (dir) => writeArchive(path.join(dir, 'stored-4g.zip'), oneStoredEntryOver4GiB()),
    (b) => assert.ok(b.summary.bytesWritten > 4 * GiB),
  ],
  [
    'one deflated entry of 4 GiB + 1 MiB (compressed below 4 GiB), then one more',
    (dir) => writeArchive(path.join(dir, 'deflated-4g.zip'), oneDeflatedEntryOver4GiB()),
    (b) => assert.ok(b.summary.bytesWritten < 4 * GiB, 'text compresses'),
  ],
  [
    'one deflated entry of 4 GiB + 1 MiB that compresses to more than 4 GiB (level 0)',
    (dir) => writeArchive(path.join(dir, 'deflated0-4g.zip'), incompressibleDeflateOver4GiB(), { deflateLevel: 0 }),
    (b) => assert.ok(b.summary.bytesWritten > 4 * GiB + 2 ** 20),
  ],
];

const big = suite<Ctx>('entries over 4 GiB (ZIP64 in local headers, 24-byte descriptors)', { dir: '' });
big.before.each(makeDir);
big.after.each(removeDir);

for (const [label, build, check] of SLOW) {
  if (SKIP_SLOW) {
    console.log(`skipped (SKIP_SLOW=1): ${label}`);
    big.skip(label, () => undefined);
    continue;
  }
  big(label, async (ctx) => {
    const built = await withDeadline(build(ctx.dir), 10 * 60_000, `writing: ${label}`);
    assert.is(built.summary.zip64, true);
    check(built);
    await readBack(built, 10 * 60_000);
  });
}

big.run();
