import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type NameDecision, createNameAllocator } from './name-allocator.js';

const names = (decisions: NameDecision[]): (string | undefined)[] =>
  decisions.map((d) => (d.status === 'skipped' ? undefined : d.name));

const allocator = suite('createNameAllocator');

allocator('gives an allocate function', () => {
  assert.type(createNameAllocator().allocate, 'function');
});

allocator('includes distinct names unchanged, relative to the prefix', () => {
  const a = createNameAllocator({ prefix: 'inbox/bob/batch-7/' });
  assert.equal(a.allocate('inbox/bob/batch-7/a.txt', 3), { status: 'included', key: 'inbox/bob/batch-7/a.txt', name: 'a.txt', directory: false });
  assert.equal(a.allocate('inbox/bob/batch-7/sub/b.txt', 3), { status: 'included', key: 'inbox/bob/batch-7/sub/b.txt', name: 'sub/b.txt', directory: false });
});

allocator('renames case-insensitive collisions with (n) before the extension', () => {
  const a = createNameAllocator();
  const decisions = ['a.txt', 'A.TXT', 'a.TXT', 'dir/Report.pdf', 'DIR/report.PDF'].map((k) => a.allocate(k, 1));
  assert.equal(names(decisions), ['a.txt', 'A (1).TXT', 'a (2).TXT', 'dir/Report.pdf', 'DIR/report (1).PDF']);
  assert.equal(decisions[1], { status: 'renamed', key: 'A.TXT', name: 'A (1).TXT', directory: false, reasons: ['collision'] });
});

allocator('a pre-existing "a (1).txt" is respected', () => {
  const a = createNameAllocator();
  assert.equal(names(['a.txt', 'a (1).txt', 'A.txt'].map((k) => a.allocate(k, 1))), ['a.txt', 'a (1).txt', 'A (2).txt']);
  const b = createNameAllocator();
  assert.equal(names(['a.txt', 'A.txt', 'a (1).txt'].map((k) => b.allocate(k, 1))), ['a.txt', 'A (1).txt', 'a (1) (1).txt']);
});

allocator('names made equal by the rules collide too, with every reason kept', () => {
  const a = createNameAllocator();
  const decisions = ['a/b', 'a/../a/b', 'a//b', 'x?.txt', 'x*.txt', 'cafe\u0301', 'caf\u00e9'].map((k) => a.allocate(k, 1));
  assert.equal(names(decisions), ['a/b', 'a/a/b', 'a/b (1)', 'x_.txt', 'x_ (1).txt', 'caf\u00e9', 'caf\u00e9 (1)']);
  assert.equal((decisions[2] as { reasons: string[] }).reasons, ['empty-segment', 'collision']);
  assert.equal((decisions[4] as { reasons: string[] }).reasons, ['reserved-character', 'collision']);
});

allocator('extension rules: last extension only, leading dot is part of the name', () => {
  const a = createNameAllocator();
  assert.equal(names(['x.tar.gz', 'X.TAR.GZ', '.env', '.ENV', 'noext', 'NOEXT'].map((k) => a.allocate(k, 1))), [
    'x.tar.gz', 'X.TAR (1).GZ', '.env', '.ENV (1)', 'noext', 'NOEXT (1)',
  ]);
});

allocator('a file and a folder cannot share a name: whichever comes second moves', () => {
  const a = createNameAllocator();
  const decisions = ['docs', 'docs/a.txt', 'Docs/b.txt', 'docs/', 'logs/x', 'logs'].map((k) => a.allocate(k, k.endsWith('/') ? 0 : 1));
  assert.equal(names(decisions), ['docs', 'docs (1)/a.txt', 'docs (1)/b.txt', 'docs (1)/', 'logs/x', 'logs (1)']);
  assert.equal(decisions.map((d) => d.status), ['included', 'renamed', 'renamed', 'renamed', 'included', 'renamed']);
});

allocator('folder markers become folder entries once; the prefix marker is skipped', () => {
  const a = createNameAllocator({ prefix: 'in/' });
  const decisions = ['in/', 'in/empty/', 'in/EMPTY/', 'in/full/', 'in/full/f.txt'].map((k) => a.allocate(k, k.endsWith('/') ? 0 : 4));
  assert.equal(decisions.map((d) => d.status), ['skipped', 'included', 'skipped', 'included', 'included']);
  assert.equal(names(decisions), [undefined, 'empty/', undefined, 'full/', 'full/f.txt']);
  assert.equal(decisions[0], { status: 'skipped', key: 'in/', reason: 'empty-name', detail: 'the key names the prefix itself' });
  assert.is((decisions[2] as { reason: string }).reason, 'duplicate-folder');
  assert.is((decisions[1] as { directory: boolean }).directory, true);
});

allocator('a key ending in / that holds bytes is skipped', () => {
  const d = createNameAllocator().allocate('weird/', 12);
  assert.equal(d.status, 'skipped');
  assert.is((d as { reason: string }).reason, 'folder-with-data');
});

allocator('a collision on a 255-byte name keeps the segment within 255 bytes', () => {
  const a = createNameAllocator();
  const long = `${'n'.repeat(251)}.txt`;
  const decisions = [long, long.toUpperCase(), `${'n'.repeat(400)}.txt`, `${'N'.repeat(400)}.txt`].map((k) => a.allocate(k, 1));
  const got = names(decisions) as string[];
  assert.is(new Set(got.map((n) => n.toLowerCase())).size, 4, 'all four names differ');
  for (const name of got) assert.ok(Buffer.byteLength(name) <= 255, `${Buffer.byteLength(name)} bytes`);
  assert.match(got[1]!, / \(1\)\.TXT$/);
  assert.equal((decisions[2] as { reasons: string[] }).reasons, ['segment-too-long']);
  // Both 400-byte names cut to the same stem; the hash of the whole segment keeps them apart.
  assert.not.equal(got[2]!.toLowerCase(), got[3]!.toLowerCase());
});

allocator('bidi and invisible characters are replaced, and the replaced names stay unique', () => {
  const a = createNameAllocator();
  const decisions = ['a\u202Eb.txt', 'a\u200Bb.txt', 'a_b.txt'].map((k) => a.allocate(k, 1));
  assert.equal(names(decisions), ['a_b.txt', 'a_b (1).txt', 'a_b (2).txt']);
  assert.equal((decisions[0] as { reasons: string[] }).reasons, ['bidi-control']);
  assert.equal((decisions[1] as { reasons: string[] }).reasons, ['invisible-character', 'collision']);
  assert.is(decisions[2]!.status, 'renamed');
});

allocator('thousands of clashing names stay unique', () => {
  const a = createNameAllocator();
  const out = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const d = a.allocate(i % 2 ? 'Same.txt' : 'same.txt', 1);
    if (d.status !== 'skipped') out.add(d.name.toLowerCase());
  }
  assert.is(out.size, 2000);
});

allocator.run();
