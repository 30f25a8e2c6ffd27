import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { EventType, Topic, createEvent, silentLogger, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createMemoryBus, type MemoryBus } from '@artifact-pipeline/shared/adapters/memory-bus';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createMemoryLeases } from '@artifact-pipeline/shared/adapters/memory-leases';
import { createLocalObjectStore, type LocalObjectStore } from '@artifact-pipeline/shared/adapters/local-object-store';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { createHealthServer } from '@artifact-pipeline/shared/worker/health-server';
import { createZipperService, type ZipperService } from './zipper-service.js';

interface Ctx {
  dir: string;
  bus: MemoryBus;
  objects: LocalObjectStore;
  jobs: JobStore;
  zipper: ZipperService;
  events: PipelineEvent[];
  metrics: ReturnType<typeof createMetrics>;
}

const config = {
  s3: { artifactsBucket: 'artifacts', uploadsBucket: 'artifacts', downloadUrlTtlSeconds: 600, forcePathStyle: true, allowedSourceBuckets: ['uploads'], notificationsQueue: undefined },
  // Every owner may read the whole test bucket; the policy itself is tested in test/e2e/source-access.
  sources: { grants: [{ bucket: 'uploads', prefix: '' }] },
  worker: { maxAttempts: 2, concurrency: 1 },
  shutdown: { graceSeconds: 5 },
};

const Service = suite<Ctx>('createZipperService', {} as Ctx);
Service.before.each(async (ctx) => {
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'zipper-service-'));
  ctx.objects = createLocalObjectStore({ root: ctx.dir, publicBaseUrl: 'http://127.0.0.1:8080', signingSecret: 's'.repeat(32) });
  await ctx.objects.ensureBucket('uploads');
  await ctx.objects.ensureBucket('artifacts');
  ctx.bus = createMemoryBus({ maxAttempts: 2, backoff: { baseMs: 5, maxMs: 10 } });
  ctx.events = [];
  await ctx.bus.consume(Topic.events, async (e) => void ctx.events.push(e), { group: 'observer' });
  ctx.metrics = createMetrics({ service: 'zipper-test', defaultMetrics: false });
  ctx.zipper = createZipperService({
    config, bus: ctx.bus, objects: ctx.objects, jobs: (ctx.jobs = createMemoryJobStore()), leases: createMemoryLeases(),
    logger: silentLogger(), metrics: ctx.metrics,
  });
  await ctx.zipper.start();
});
Service.after.each(async (ctx) => {
  await ctx.zipper.stop(0);
  await ctx.bus.close();
  await rm(ctx.dir, { recursive: true, force: true });
});

Service('has start, stop and ready', ({ zipper }) => {
  for (const m of ['start', 'stop', 'ready'] as const) assert.type(zipper[m], 'function');
});

Service('turns a zip command into job.completed with a download URL, and counts it', async (ctx) => {
  await ctx.objects.put('uploads', 'in/a.txt', Readable.from([Buffer.from('alpha')]));
  const jobId = randomUUID();
  await ctx.jobs.create({ id: jobId, type: 'zip', owner: 'alice', input: {} }); // as ingest does, first
  await ctx.bus.publish(Topic.zipCommands, createEvent(EventType.zipRequested, {
    jobId, owner: 'alice', source: { bucket: 'uploads', prefix: 'in/' }, output: { name: 'a.zip' }, options: { compression: 'auto' },
  }, { source: '/artifact-pipeline/test' }));
  const until = Date.now() + 5_000;
  while (!ctx.events.some((e) => e.type === EventType.jobCompleted) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  const completed = ctx.events.find((e) => e.type === EventType.jobCompleted);
  assert.ok(completed, `events: ${ctx.events.map((e) => e.type).join(', ')}`);
  const data = completed.data as { output: { key: string; size: number }; downloadUrl: string };
  assert.ok(data.output.key.endsWith(`/${jobId}/a.zip`));
  assert.ok(data.downloadUrl.startsWith('http://127.0.0.1:8080/'));
  const text = await ctx.metrics.registry.metrics();
  assert.match(text, /ap_jobs_total\{type="zip",outcome="completed"\} 1/);
  assert.match(text, /ap_zip_entries_total 1/);
  assert.match(text, /ap_zip_bytes_in_total 5/);
});

Service('the health server answers /healthz, /readyz and /metrics', async (ctx) => {
  const server = createHealthServer({ ready: ctx.zipper.ready, registry: ctx.metrics.registry });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    assert.is((await fetch(`${base}/healthz`)).status, 200);
    assert.is((await fetch(`${base}/readyz`)).status, 200);
    const metrics = await fetch(`${base}/metrics`);
    assert.is(metrics.status, 200);
    assert.match(await metrics.text(), /ap_jobs_total/);
    const failing = createHealthServer({ ready: async () => { throw new Error('redis down'); }, registry: ctx.metrics.registry });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(failing.address() as AddressInfo).port}/readyz`);
    assert.is(res.status, 503);
    assert.match(await res.text(), /redis down/);
    await new Promise((resolve) => failing.close(resolve));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

Service.run();
