import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { EventType, Topic, createEvent, silentLogger, type JobStore, type PipelineEvent, type ReportRequested } from '@artifact-pipeline/shared';
import { createMemoryBus, type MemoryBus } from '@artifact-pipeline/shared/adapters/memory-bus';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createMemoryLeases } from '@artifact-pipeline/shared/adapters/memory-leases';
import { createLocalObjectStore, type LocalObjectStore } from '@artifact-pipeline/shared/adapters/local-object-store';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { withDeadline } from '../../../test/harness/support.js';
import { createReporterService, type ReporterService } from './reporter-service.js';
import { unzip } from './unzip-for-tests.js';

interface Ctx {
  dir: string;
  bus: MemoryBus;
  objects: LocalObjectStore;
  jobs: JobStore;
  reporter: ReporterService;
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

const Service = suite<Ctx>('createReporterService', {} as Ctx);
Service.before.each(async (ctx) => {
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'reporter-service-'));
  ctx.objects = createLocalObjectStore({ root: ctx.dir, publicBaseUrl: 'http://127.0.0.1:8080', signingSecret: 's'.repeat(32) });
  await ctx.objects.ensureBucket('uploads');
  await ctx.objects.ensureBucket('artifacts');
  ctx.bus = createMemoryBus({ maxAttempts: 2, backoff: { baseMs: 5, maxMs: 10 } });
  ctx.events = [];
  await ctx.bus.consume(Topic.events, async (e) => void ctx.events.push(e), { group: 'observer' });
  ctx.metrics = createMetrics({ service: 'reporter-test', defaultMetrics: false });
  ctx.reporter = createReporterService({
    config, bus: ctx.bus, objects: ctx.objects, jobs: (ctx.jobs = createMemoryJobStore()), leases: createMemoryLeases(),
    logger: silentLogger(), metrics: ctx.metrics,
  });
  await ctx.reporter.start();
});
Service.after.each(async (ctx) => {
  await ctx.reporter.stop(0);
  await ctx.bus.close();
  await rm(ctx.dir, { recursive: true, force: true });
});

async function request(ctx: Ctx, data: Omit<ReportRequested, 'jobId' | 'owner'>): Promise<string> {
  const jobId = randomUUID();
  await ctx.jobs.create({ id: jobId, type: 'report', owner: 'alice', input: {} }); // as ingest does, first
  const command = createEvent(EventType.reportRequested, { jobId, owner: 'alice', ...data }, { source: '/test' });
  await ctx.bus.publish(Topic.reportCommands, command);
  return jobId;
}

async function finished(ctx: Ctx, jobId: string): Promise<PipelineEvent> {
  return withDeadline(
    (async () => {
      for (;;) {
        const done = ctx.events.find((e) => e.subject === jobId && (e.type === EventType.jobCompleted || (e.type === EventType.jobFailed && (e.data as { final: boolean }).final)));
        if (done) return done;
        await new Promise((r) => setTimeout(r, 10));
      }
    })(),
    10_000,
    `job ${jobId} to finish`,
  );
}

async function read(ctx: Ctx, bucket: string, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await ctx.objects.get(bucket, key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

Service('has start, stop and ready', ({ reporter }) => {
  for (const m of ['start', 'stop', 'ready'] as const) assert.type(reporter[m], 'function');
});

Service('renders inline rows into an XLSX at outputs/reports/…/{jobId}/{name} with typed cells', async (ctx) => {
  const jobId = await request(ctx, {
    format: 'xlsx', title: 'Visitors', output: { name: 'visitors.xlsx' },
    columns: [{ key: 'city', header: 'City' }, { key: 'n', header: 'Visitors', type: 'number' }],
    rows: [{ city: 'Lisbon', n: 1200 }, { city: 'Porto', n: '800' }],
  });
  const done = await finished(ctx, jobId);
  assert.is(done.type, EventType.jobCompleted, JSON.stringify(done.data));
  const data = done.data as { output: { bucket: string; key: string; size: number; contentType: string }; manifest: { included: number } };
  assert.match(data.output.key, new RegExp(`^outputs/reports/\\d{4}/\\d{2}/\\d{2}/${jobId}/visitors\\.xlsx$`));
  assert.is(data.output.contentType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.is(data.manifest.included, 2);
  const file = await read(ctx, data.output.bucket, data.output.key);
  assert.is(file.length, data.output.size);
  const sheet = unzip(file).find((e) => e.name === 'xl/worksheets/sheet1.xml')!.data.toString();
  assert.match(sheet, '<t>Lisbon</t>');
  assert.match(sheet, /<c r="B3" s="\d+"><v>800<\/v><\/c>/);
  assert.match(sheet, '<dimension ref="A1:B3"/>', 'the used range, known ahead for inline rows');
  const rows = (await ctx.metrics.registry.getSingleMetric('ap_report_rows_total')!.get()).values;
  assert.equal(rows.map((v) => [v.labels.format, v.value]), [['xlsx', 2]]);
});

Service('takes the columns from a CSV header and renders a PDF', async (ctx) => {
  await ctx.objects.put('uploads', 'data/cities.csv', Readable.from([Buffer.from('city,visitors\r\n"Lisbon, PT",1200\r\nPorto,800\r\n')]));
  const jobId = await request(ctx, {
    format: 'pdf', title: 'Cities', output: { name: 'cities.pdf' }, columns: [],
    source: { bucket: 'uploads', key: 'data/cities.csv', format: 'csv' },
  });
  const done = await finished(ctx, jobId);
  assert.is(done.type, EventType.jobCompleted, JSON.stringify(done.data));
  const data = done.data as { output: { bucket: string; key: string; contentType: string }; manifest: { included: number } };
  assert.is(data.output.contentType, 'application/pdf');
  assert.is(data.manifest.included, 2);
  const file = await read(ctx, data.output.bucket, data.output.key);
  assert.is(file.subarray(0, 5).toString(), '%PDF-');
  assert.match(file.subarray(-6).toString(), '%%EOF');
});

Service('fails for good with the line number of a bad row, and leaves no artifact', async (ctx) => {
  await ctx.objects.put('uploads', 'data/bad.csv', Readable.from([Buffer.from('id,amount\n1,10\n2,ten\n3,30\n')]));
  const jobId = await request(ctx, {
    format: 'xlsx', title: 'Bad', output: { name: 'bad.xlsx' },
    columns: [{ key: 'id', header: 'Id', type: 'number' }, { key: 'amount', header: 'Amount', type: 'number' }],
    source: { bucket: 'uploads', key: 'data/bad.csv', format: 'csv' },
  });
  const done = await finished(ctx, jobId);
  assert.is(done.type, EventType.jobFailed);
  const { error, final } = done.data as { error: { code: string; message: string; retriable: boolean }; final: boolean };
  assert.is(error.code, 'INVALID_INPUT');
  assert.is(error.retriable, false);
  assert.ok(final);
  assert.match(error.message, 'line 3');
  const left = [];
  for await (const o of ctx.objects.list('artifacts', 'outputs/reports/')) left.push(o.key);
  assert.equal(left, []);
});

Service('skips bad rows when asked and counts them in the manifest', async (ctx) => {
  await ctx.objects.put('uploads', 'data/some-bad.jsonl', Readable.from([Buffer.from('{"n":1}\nnot json\n{"n":"x"}\n{"n":4}\n')]));
  const jobId = await request(ctx, {
    format: 'xlsx', title: 'Some bad', output: { name: 'some.xlsx' }, onError: 'skip',
    columns: [{ key: 'n', header: 'N', type: 'number' }],
    source: { bucket: 'uploads', key: 'data/some-bad.jsonl', format: 'jsonl' },
  });
  const done = await finished(ctx, jobId);
  assert.is(done.type, EventType.jobCompleted, JSON.stringify(done.data));
  const { manifest } = done.data as { manifest: { included: number; skippedTotal: number; skipped: { key: string }[] } };
  assert.is(manifest.included, 2);
  assert.is(manifest.skippedTotal, 2);
  assert.equal(manifest.skipped.map((s) => s.key), ['line 2', 'line 3']);
});

Service('a missing source fails the job at once with SOURCE_NOT_FOUND', async (ctx) => {
  const jobId = await request(ctx, {
    format: 'pdf', title: 'Nothing', output: { name: 'none.pdf' }, columns: [],
    source: { bucket: 'uploads', key: 'data/absent.csv', format: 'csv' },
  });
  const done = await finished(ctx, jobId);
  assert.is(done.type, EventType.jobFailed);
  const { error, attempt } = done.data as { error: { code: string; message: string }; attempt: number };
  assert.is(error.code, 'SOURCE_NOT_FOUND');
  assert.match(error.message, 'data/absent.csv');
  assert.is(attempt, 1);
});

Service('reports progress in rows, ending at the row count', async (ctx) => {
  const rows = Array.from({ length: 2_500 }, (_, i) => ({ i }));
  const jobId = await request(ctx, { format: 'xlsx', title: 'Many', output: { name: 'many.xlsx' }, columns: [{ key: 'i', header: 'I', type: 'number' }], rows });
  await finished(ctx, jobId);
  const progressed = ctx.events.filter((e) => e.subject === jobId && e.type === EventType.jobProgressed).map((e) => e.data as { itemsDone: number; itemsTotal: number });
  assert.ok(progressed.length >= 1);
  assert.equal(progressed.at(-1), { jobId, attempt: 1, bytesDone: 0, bytesTotal: 0, itemsDone: 2_500, itemsTotal: 2_500 });
});

Service.run();
