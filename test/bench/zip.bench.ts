/**
 * `npm run bench -- zip`: zip throughput against a raw S3 copy of the same bytes
 * (GET every object with the same prefetch + one multipart PUT of the concatenation), in the
 * same run on the same moto; peak RSS of the process doing it (each case is its own process,
 * zip-case.ts) at 1 GiB and 4 GiB; prefetch against one-at-a-time on 10,000 × 8 KiB objects,
 * straight to moto and again through a local proxy that holds every request back
 * BENCH_ZIP_LATENCY_MS (default 30) — the first-byte latency of S3, which moto on loopback
 * lacks; moto also serves one request at a time on its interpreter lock, so straight to it
 * there is little waiting for prefetch to overlap. One JSON line per case on stdout. BENCH_ZIP_SIZES_MIB (default "1024,4096") picks the totals;
 * a filter after `zip:` picks cases by name (`zip:small`, `zip:1024`).
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createS3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';

const MiB = 1024 * 1024;
const endpoint = process.env.AWS_ENDPOINT_URL;
if (!endpoint) {
  process.stderr.write('zip bench: needs AWS_ENDPOINT_URL (moto): eval "$(npm run -s infra:up)" first\n');
  process.exit(1);
}
const caseFilter = (process.argv[2] ?? '').split(':')[1] ?? '';
const sizes = (process.env.BENCH_ZIP_SIZES_MIB ?? '1024,4096').split(',').map(Number).filter((n) => n > 0);
const here = path.dirname(fileURLToPath(import.meta.url));
const objects = createS3ObjectStore({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const bucket = `bench-src-${randomUUID().slice(0, 8)}`;
const artifactsBucket = `bench-art-${randomUUID().slice(0, 8)}`;

interface CaseResult { seconds: number; bytesIn: number; bytesOut: number; peakRssMiB: number }

function runCase(input: Record<string, unknown>, caseEndpoint = endpoint!): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'zip-case.js'), JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1', AWS_ENDPOINT_URL: caseEndpoint },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as CaseResult) : reject(new Error(`case ${JSON.stringify(input)} exited ${code}`))));
  });
}

/** Objects of `objectMiB` each, `totalMiB` in all, named `<prefix>part-NNNN.<ext>`. */
async function upload(prefix: string, totalMiB: number, objectMiB: number, ext: string, block: Buffer): Promise<void> {
  const count = Math.ceil(totalMiB / objectMiB);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const chunks = Array.from({ length: objectMiB }, (_, k) => block.subarray((k % 8) * MiB, (k % 8 + 1) * MiB));
      await objects.put(bucket, `${prefix}part-${String(i).padStart(4, '0')}.${ext}`, Readable.from(chunks), { expectedSize: objectMiB * MiB });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

async function uploadSmall(prefix: string, count: number, size: number): Promise<void> {
  const block = randomBytes(size);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) await objects.put(bucket, `${prefix}${String(i).padStart(5, '0')}.bin`, Readable.from([block]));
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/**
 * A TCP proxy to moto that delivers every byte the client sends `delayMs` late (in order),
 * so each request waits that long before moto sees it, as each S3 request waits for S3.
 */
async function latencyProxy(target: URL, delayMs: number): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.on('data', (chunk) => void setTimeout(() => upstream.write(chunk), delayMs));
    client.on('end', () => void setTimeout(() => upstream.end(), delayMs));
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function line(name: string, result: CaseResult, extra: Record<string, unknown> = {}): void {
  const mbPerSec = result.bytesIn / MiB / result.seconds;
  process.stdout.write(`${JSON.stringify({
    case: name, totalMiB: Math.round(result.bytesIn / MiB), seconds: Number(result.seconds.toFixed(2)),
    MiBPerSec: Number(mbPerSec.toFixed(1)), outMiB: Math.round(result.bytesOut / MiB), peakRssMiB: Math.round(result.peakRssMiB), ...extra,
  })}\n`);
}

const wanted = (name: string): boolean => caseFilter === '' || name.includes(caseFilter);
const common = { bucket, artifactsBucket, maxObjectsAhead: 8 };
await objects.ensureBucket(bucket);
await objects.ensureBucket(artifactsBucket);
try {
  const random = randomBytes(8 * MiB);
  // 8 MiB of 64-byte lines of text (a counter and a sentence): deflates to about 5 %.
  const text = Buffer.from(Array.from({ length: (8 * MiB) / 64 }, (_, i) => `${String(i).padStart(10, '0')} the quick brown fox jumps over a lazy dog`.padEnd(63, '.') + '\n').join(''));
  if (wanted('idle')) {
    // What the case process costs before it moves a byte: Node, the SDK and our modules.
    line('idle process (modules loaded, no work)', { ...(await runCase({ ...common, kind: 'idle' })), bytesIn: 0 }, {});
  }
  for (const total of sizes) {
    if (!wanted(String(total)) && !wanted('copy') && !wanted('zip-')) continue;
    process.stderr.write(`zip bench: uploading ${total} MiB of incompressible and ${total} MiB of text objects to moto…\n`);
    await upload(`bin${total}/`, total, 64, 'gz', random);
    await upload(`txt${total}/`, total, 64, 'txt', text);
    const copyBin = await runCase({ ...common, kind: 'copy', prefix: `bin${total}/` });
    line(`raw-copy incompressible ${total} MiB`, copyBin, { ratio: 1 });
    const vsCopy = (r: CaseResult, base: CaseResult) => ({ ratio: Number((base.seconds / r.seconds).toFixed(2)), baseline: 'raw-copy' });
    const store = await runCase({ ...common, kind: 'zip', prefix: `bin${total}/`, compression: 'store' });
    line(`zip-store incompressible ${total} MiB`, store, vsCopy(store, copyBin));
    const auto = await runCase({ ...common, kind: 'zip', prefix: `bin${total}/`, compression: 'auto' });
    line(`zip-auto incompressible ${total} MiB`, auto, vsCopy(auto, copyBin));
    const copyText = await runCase({ ...common, kind: 'copy', prefix: `txt${total}/` });
    line(`raw-copy text ${total} MiB`, copyText, { ratio: 1 });
    const deflate = await runCase({ ...common, kind: 'zip', prefix: `txt${total}/`, compression: 'deflate' });
    line(`zip-deflate text ${total} MiB`, deflate, vsCopy(deflate, copyText));
    for (const prefix of [`bin${total}/`, `txt${total}/`]) for await (const o of objects.list(bucket, prefix)) await objects.delete(bucket, o.key);
    for await (const o of objects.list(artifactsBucket, '')) await objects.delete(artifactsBucket, o.key);
  }
  if (wanted('small')) {
    process.stderr.write('zip bench: uploading 10,000 × 8 KiB objects to moto…\n');
    await uploadSmall('small/', 10_000, 8 * 1024);
    const sequential = await runCase({ ...common, kind: 'zip', prefix: 'small/', compression: 'store', maxObjectsAhead: 0 });
    line('zip-store 10,000 × 8 KiB sequential', sequential, { ratio: 1 });
    const prefetched = await runCase({ ...common, kind: 'zip', prefix: 'small/', compression: 'store', maxObjectsAhead: 8 });
    line('zip-store 10,000 × 8 KiB prefetch 8', prefetched, { ratio: Number((sequential.seconds / prefetched.seconds).toFixed(2)), baseline: 'sequential' });
    const delayMs = Number(process.env.BENCH_ZIP_LATENCY_MS ?? 30);
    const proxy = await latencyProxy(new URL(endpoint), delayMs);
    try {
      const slowSequential = await runCase({ ...common, kind: 'zip', prefix: 'small/', compression: 'store', maxObjectsAhead: 0 }, proxy.endpoint);
      line(`zip-store 10,000 × 8 KiB sequential, ${delayMs} ms per request`, slowSequential, { ratio: 1 });
      const slowPrefetched = await runCase({ ...common, kind: 'zip', prefix: 'small/', compression: 'store', maxObjectsAhead: 8 }, proxy.endpoint);
      line(`zip-store 10,000 × 8 KiB prefetch 8, ${delayMs} ms per request`, slowPrefetched, { ratio: Number((slowSequential.seconds / slowPrefetched.seconds).toFixed(2)), baseline: 'sequential' });
    } finally {
      proxy.server.close();
    }
  }
} finally {
  await objects.removeBucket(bucket).catch(() => undefined);
  await objects.removeBucket(artifactsBucket).catch(() => undefined);
  await objects.close();
}
