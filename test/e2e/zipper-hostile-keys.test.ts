/**
 * Keys that break listings, extraction or the eye, zipped end to end over SQS + moto + Redis:
 * a carriage return (XML turns it into a line feed when the listing is not URL-encoded),
 * U+0001 and U+FFFE (not XML characters), `&` and `<`, a right-to-left override that makes
 * `invoice\u202Etxt.exe` show as `invoiceexe.txt`, a zero-width space, and 304-byte file
 * and folder segments (filesystems take 255 bytes a name). Every key must be in the ZIP under
 * a clean name, named at most once in the manifest, and `unzip` and `bsdtar` must extract
 * every entry onto disk with the bytes that were put.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { collect } from '../../services/zipper/test-support/collect.js';
import { parseZip } from '../../services/zipper/test-support/zip-parse.js';
import { withDeadline } from '../harness/support.js';
import { extractWith } from '../interop/zip-tools.js';
import { type ZipperWorld, closeWorld, completion, createWorld, expected, putFiles, readerProblems, requestZip } from './zipper-e2e-support.js';

interface Ctx {
  world?: ZipperWorld;
  dir?: string;
}

const PREFIX = 'hostile/';
const LONG_FILE = `${'x'.repeat(300)}.txt`; // 304 bytes
const LONG_FOLDER = 'd'.repeat(304);
/** Key (under PREFIX) → the name the archive must give it. */
const CASES: [key: string, name: string | RegExp][] = [
  ['cr\r.txt', 'cr_.txt'],
  ['one\u0001.txt', 'one_.txt'],
  ['nonchar\uFFFE.txt', 'nonchar_.txt'],
  ['amp&.txt', 'amp&.txt'],
  ['lt<.txt', 'lt_.txt'],
  ['invoice\u202Etxt.exe', 'invoice_txt.exe'],
  ['zero\u200Bwidth.txt', 'zero_width.txt'],
  [LONG_FILE, /^x{242}~[0-9a-f]{8}\.txt$/],
  [`${LONG_FOLDER}/inside.txt`, /^d{246}~[0-9a-f]{8}\/inside\.txt$/],
];

const hostile = suite<Ctx>('zipper over sqs: hostile keys and names', {});
hostile.before(async (ctx) => {
  ctx.world = await withDeadline(createWorld('sqs'), 60_000, 'the zipper world to start');
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'zipper-hostile-'));
});
hostile.after(async (ctx) => {
  await closeWorld(ctx.world);
  if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
});

hostile('every hostile key is zipped under a clean name, named once in the manifest, and extracts', async ({ world, dir }) => {
  const w = world!;
  const bodies = new Map(CASES.map(([key], i) => [PREFIX + key, Buffer.from(`file ${i}: ${JSON.stringify(key)}\n`)]));
  await putFiles(w, bodies);
  const command = await requestZip(w, {
    source: { bucket: w.sourceBucket, prefix: PREFIX },
    output: { name: 'hostile.zip' },
    options: { compression: 'deflate', includeManifest: true },
  });
  const done = await completion(w, command.subject!);

  const zip = parseZip(await collect(await w.objects.get(w.artifactsBucket, done.output.key)));
  const manifestEntry = zip.entries.find((e) => e.central.name === 'manifest.json');
  assert.ok(manifestEntry, 'manifest.json is in the ZIP');
  const manifest = JSON.parse(manifestEntry.content.toString('utf8')) as {
    included: number;
    renamed: { key: string; name: string; reasons: string[] }[];
    skipped: { key: string; reason: string }[];
  };
  assert.equal(manifest.skipped, [], 'nothing skipped (a CR key read back as LF would be "deleted after it was listed")');
  assert.is(manifest.included, CASES.length);

  // Each key: in the ZIP with its bytes under the expected name; named at most once in the manifest.
  const byName = new Map(zip.entries.map((e) => [e.central.name, e.content]));
  for (const [key, want] of CASES) {
    const mentions = [...manifest.renamed, ...manifest.skipped].filter((e) => e.key === PREFIX + key);
    const renamed = manifest.renamed.find((r) => r.key === PREFIX + key);
    const name = renamed?.name ?? key;
    assert.ok(typeof want === 'string' ? name === want : want.test(name), `${JSON.stringify(key)} became ${JSON.stringify(name)}`);
    assert.ok(mentions.length <= 1, `${JSON.stringify(key)} is named ${mentions.length} times in the manifest`);
    assert.is(mentions.length, name === key ? 0 : 1, JSON.stringify(key));
    assert.ok(byName.get(name)?.equals(bodies.get(PREFIX + key)!), `${JSON.stringify(name)} holds the bytes of ${JSON.stringify(key)}`);
    for (const segment of name.split('/')) assert.ok(Buffer.byteLength(segment) <= 255, `${Buffer.byteLength(segment)}-byte segment`);
  }
  const reasonsOf = (key: string): string[] => manifest.renamed.find((r) => r.key === PREFIX + key)?.reasons ?? [];
  assert.equal(reasonsOf('cr\r.txt'), ['control-character']);
  assert.equal(reasonsOf('invoice\u202Etxt.exe'), ['bidi-control']);
  assert.equal(reasonsOf('zero\u200Bwidth.txt'), ['invisible-character']);
  assert.equal(reasonsOf('nonchar\uFFFE.txt'), ['noncharacter']);
  assert.equal(reasonsOf(LONG_FILE), ['segment-too-long']);

  // The readers read it exactly, and unzip and bsdtar write every file to disk.
  const entries = zip.entries.map((e) => expected(e.central.name, e.content));
  assert.equal(await readerProblems(w, done.output.key, entries), []);
  const file = path.join(dir!, 'hostile.zip');
  await pipeline(await w.objects.get(w.artifactsBucket, done.output.key), createWriteStream(file));
  const want = new Map(entries.map((e) => [e.name, e.sha256]));
  for (const tool of ['unzip', 'bsdtar'] as const) {
    const into = path.join(dir!, tool);
    await mkdir(into);
    const extracted = await extractWith(tool, file, into, 60_000);
    assert.equal([...extracted].sort(), [...want].sort(), `${tool} extracts every entry with its bytes`);
  }
  assert.is(createHash('sha256').update(byName.get('amp&.txt')!).digest('hex'), want.get('amp&.txt'));
});

hostile.run();
