/**
 * Archives with entries over 4 GiB from the zipper's writer (ZIP64 sizes in the local
 * headers, 24-byte data descriptors), read back by every reader. Minutes each: a slow file
 * (`*.slow.test.ts`), which `npm test` runs beside the others and SKIP_SLOW=1 leaves out.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { withDeadline } from '../harness/support.js';
import { type BuiltArchive, writeArchive } from './zip-fixtures.js';
import { makeDir, readBack, removeDir, type ReaderCtx as Ctx } from './zip-reader-checks.js';
import { incompressibleDeflateOver4GiB, oneDeflatedEntryOver4GiB, oneStoredEntryOver4GiB } from './zip-specs.js';

const GiB = 2 ** 30;

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
  big(label, async (ctx) => {
    const built = await withDeadline(build(ctx.dir), 10 * 60_000, `writing: ${label}`);
    assert.is(built.summary.zip64, true);
    check(built);
    await readBack(built, 10 * 60_000);
  });
}

big.run();
