/**
 * The cases both transports run (zipper-sqs.test.ts, zipper-kafka.test.ts): a nested
 * prefix, a key list with missing keys, and a redelivered command for a finished job.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventType, Topic } from '@artifact-pipeline/shared';
import { collect } from '../../services/zipper/test-support/collect.js';
import { parseZip } from '../../services/zipper/test-support/zip-parse.js';
import { withDeadline } from '../harness/support.js';
import {
  type Transport, type ZipperWorld, byKeyBytes, closeWorld, completion, createWorld, expected, folder, ofJob, putFiles,
  readerProblems, requestZip,
} from './zipper-e2e-support.js';

interface Ctx {
  world?: ZipperWorld;
}

export function zipperCases(transport: Transport): void {
  const test = suite<Ctx>(`zipper over ${transport} (createZipperService in process)`, {});
  test.before(async (ctx) => {
    ctx.world = await withDeadline(createWorld(transport), 60_000, 'the zipper world to start');
  });
  test.after(async (ctx) => {
    await closeWorld(ctx.world);
  });

  test('a nested prefix with unicode and space names and a 0-byte file; the marker is left out', async ({ world }) => {
    const w = world!;
    const prefix = 'inbox/team a/batch 1/';
    const files = new Map<string, Buffer>([
      ['readme.txt', Buffer.from('Read me.\n'.repeat(2000))],
      ['Übersicht – 2024/été résumé.txt', Buffer.from('naïve café '.repeat(300))],
      ['Übersicht – 2024/日本語/データ.bin', Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff))],
      ['sub folder/empty file.txt', Buffer.alloc(0)],
      ['sub folder/photo.jpg', Buffer.alloc(40_000, 0xd8)],
      ['deep/a/b/c/d.txt', Buffer.from('deep')],
    ]);
    await putFiles(w, [...files].map(([k, v]) => [prefix + k, v] as [string, Buffer]));
    await putFiles(w, [[`${prefix}empty folder/`, Buffer.alloc(0)], [`${prefix}_READY`, Buffer.alloc(0)]]);
    const command = await requestZip(w, {
      source: { bucket: w.sourceBucket, prefix, marker: `${prefix}_READY` },
      output: { name: 'batch 1 – ü.zip' },
      options: { compression: 'auto' },
    });
    const done = await completion(w, command.subject!);
    const want = [...files.keys(), 'empty folder/'].sort(byKeyBytes).map((name) => (name.endsWith('/') ? folder(name) : expected(name, files.get(name)!)));
    assert.equal(await readerProblems(w, done.output.key, want), []);
    assert.is(done.manifest.included, 7);
    assert.ok(done.output.key.endsWith(`/${command.subject}/batch 1 – ü.zip`));
    assert.match(decodeURIComponent(done.downloadUrl), /filename\*=UTF-8''batch 1 – ü\.zip|filename\*=UTF-8''batch%201%20%E2%80%93%20%C3%BC\.zip/);
    const fetched = await fetch(done.downloadUrl);
    assert.is(fetched.status, 200);
    assert.is(Number((await fetched.arrayBuffer()).byteLength), done.output.size);
    assert.ok(ofJob(w, command.subject!, EventType.jobProgressed).length >= 1, 'progress was reported');
    assert.equal(await w.objects.listIncompleteUploads(w.artifactsBucket, ''), []);
  });

  test('a key list with missing keys: they are skipped and in the manifest', async ({ world }) => {
    const w = world!;
    const a = Buffer.from('first file');
    const b = Buffer.from('second file, same base name');
    await putFiles(w, [['list/a/report.csv', a], ['list/b/report.csv', b]]);
    const command = await requestZip(w, {
      source: { bucket: w.sourceBucket, keys: ['list/a/report.csv', 'list/missing-1.txt', 'list/b/report.csv', 'list/missing-2.txt'] },
      output: { name: 'picked.zip' },
      options: { compression: 'deflate', includeManifest: true },
    });
    const done = await completion(w, command.subject!);
    assert.equal(done.manifest.skipped.map((s) => s.key).sort(), ['list/missing-1.txt', 'list/missing-2.txt']);
    assert.is(done.manifest.included, 2);
    // manifest.json as the ZIP holds it (parsed here), then every reader must read the same bytes.
    const zip = parseZip(await collect(await w.objects.get(w.artifactsBucket, done.output.key)));
    const manifestBytes = zip.entries.find((e) => e.central.name === 'manifest.json')?.content;
    assert.ok(manifestBytes, 'manifest.json is in the ZIP');
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { included: number; skipped: { key: string; reason: string }[] };
    assert.is(manifest.included, 2);
    assert.equal(manifest.skipped.map((s) => [s.key, s.reason]), [['list/missing-1.txt', 'not found'], ['list/missing-2.txt', 'not found']]);
    const want = [expected('list/a/report.csv', a), expected('list/b/report.csv', b), expected('manifest.json', manifestBytes)];
    assert.equal(await readerProblems(w, done.output.key, want), []);
  });

  test('a redelivered command for a finished job does no work', async ({ world }) => {
    const w = world!;
    await putFiles(w, [['again/x.txt', Buffer.from('x')]]);
    const command = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'again/' }, output: { name: 'again.zip' }, options: { compression: 'store' } });
    await completion(w, command.subject!);
    await waitForDone(w, command.subject!);
    await w.bus.publish(Topic.zipCommands, command);
    // A later job on the same consumer finishing shows the redelivery was handled.
    const later = await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'again/' }, output: { name: 'later.zip' }, options: { compression: 'store' } });
    await completion(w, later.subject!);
    await waitForDone(w, later.subject!);
    assert.is(ofJob(w, command.subject!, EventType.jobStarted).length, 1, 'started once');
    assert.is(ofJob(w, command.subject!, EventType.jobCompleted).length, 1, 'completed once');
  });

  test.run();
}

async function waitForDone(w: ZipperWorld, jobId: string): Promise<void> {
  const until = Date.now() + 20_000;
  while ((await w.jobs.get(jobId))?.status !== 'done') {
    if (Date.now() > until) throw new Error(`deadline: job ${jobId} did not become done in the read model`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
