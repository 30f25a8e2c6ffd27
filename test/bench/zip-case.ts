/**
 * One zip benchmark case in its own process, so its peak RSS (VmHWM) is its own: reads
 * argv[2] as JSON {kind: 'copy' | 'zip', bucket, prefix, artifactsBucket, compression,
 * maxObjectsAhead}, runs it against moto and prints {seconds, bytesIn, bytesOut, peakRssMiB}.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { EventType, createEvent, silentLogger } from '@artifact-pipeline/shared';
import { createS3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { listSource } from '../../services/zipper/src/source-listing.js';
import { planArchive } from '../../services/zipper/src/archive-plan.js';
import { fetchInOrder } from '../../services/zipper/src/prefetcher.js';
import { createZipBuild } from '../../services/zipper/src/zip-job.js';

interface CaseInput {
  kind: 'copy' | 'zip' | 'idle';
  bucket: string;
  prefix: string;
  artifactsBucket: string;
  compression: 'auto' | 'store' | 'deflate';
  maxObjectsAhead: number;
}

const input = JSON.parse(process.argv[2] ?? '{}') as CaseInput;
const objects = createS3ObjectStore({
  endpoint: process.env.AWS_ENDPOINT_URL!, region: 'us-east-1', forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const prefetch = { maxObjectsAhead: input.maxObjectsAhead };
const started = process.hrtime.bigint();
let bytesIn = 0;
let bytesOut = 0;

if (input.kind === 'idle') {
  // Nothing: the modules above are loaded, which is the point.
} else if (input.kind === 'copy') {
  // The baseline: GET every object (same prefetch) into one multipart PUT of the concatenation.
  const listing = await listSource(objects, { bucket: input.bucket, prefix: input.prefix });
  const plan = planArchive(listing, { compression: 'store', includeManifest: false });
  const body = new PassThrough({ highWaterMark: 256 * 1024 });
  const upload = objects.put(input.artifactsBucket, `copy/${input.prefix}all.bin`, body, { expectedSize: plan.totalBytes });
  for await (const turn of fetchInOrder({ objects, bucket: input.bucket, entries: plan.entries, ...prefetch })) {
    if (turn.missing) continue;
    for await (const chunk of turn.body) {
      bytesIn += chunk.length;
      if (!body.write(chunk)) await new Promise((resolve) => body.once('drain', resolve));
    }
  }
  body.end();
  bytesOut = (await upload).size;
} else {
  const build = createZipBuild({ objects, artifactsBucket: input.artifactsBucket, downloadUrlTtlSeconds: 600, prefetch });
  const command = createEvent(EventType.zipRequested, {
    jobId: `bench-${process.pid}`, owner: 'bench', source: { bucket: input.bucket, prefix: input.prefix },
    output: { name: 'bench.zip' }, options: { compression: input.compression },
  }, { source: '/artifact-pipeline/bench' });
  let last = { bytesDone: 0 };
  const result = await build(command, {
    signal: new AbortController().signal, attempt: 1, logger: silentLogger(), reportProgress: (p) => (last = p),
  });
  bytesIn = last.bytesDone;
  bytesOut = result.output.size;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const peakRssMiB = hwm ? Number(hwm[1]) / 1024 : Math.round(process.memoryUsage().rss / 1048576);
process.stdout.write(`${JSON.stringify({ seconds, bytesIn, bytesOut, peakRssMiB })}\n`);
await objects.close();
