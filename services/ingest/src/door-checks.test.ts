/**
 * What ingest refuses at once (400 naming the field) instead of accepting a job that fails
 * later, on every way in: `.` / `..` segments in a prefix, key or report source key, a report
 * with no rows and no columns; and the output name's extension, added the same way for HTTP
 * commands and events from other systems. Memory adapters; HTTP on a loopback port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventType, Topic, silentLogger, type Bus, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createMemoryBus } from '@artifact-pipeline/shared/adapters/memory-bus';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import type { ObjectStore } from '@artifact-pipeline/shared';
import { waitFor } from '../../../test/harness/support.js';
import { createIngestService } from './ingest-service.js';

interface Ctx {
  bus: Bus;
  jobs: JobStore;
  server: Server;
  base: string;
  commands: PipelineEvent[];
}

async function setUp(ctx: Ctx): Promise<void> {
  ctx.bus = createMemoryBus();
  ctx.jobs = createMemoryJobStore();
  ctx.commands = [];
  const service = createIngestService({
    config: {
      s3: { artifactsBucket: 'artifacts', uploadsBucket: 'artifacts', allowedSourceBuckets: [], forcePathStyle: true, downloadUrlTtlSeconds: 60, notificationsQueue: undefined },
      auth: { mode: 'none', jwtSecret: undefined, jwksUrl: undefined, usersFile: undefined },
    },
    bus: ctx.bus,
    jobs: ctx.jobs,
    objects: undefined as unknown as ObjectStore,
    logger: silentLogger(),
    metrics: createMetrics({ service: 'door', defaultMetrics: false }),
    publishRetry: { attempts: 1 },
  });
  for (const topic of [Topic.zipCommands, Topic.reportCommands]) await ctx.bus.consume(topic, async (e) => void ctx.commands.push(e));
  ctx.server = createServer(service.callback());
  await new Promise<void>((resolve) => ctx.server.listen(0, '127.0.0.1', resolve));
  ctx.base = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
}

async function tearDown(ctx: Ctx): Promise<void> {
  ctx.server.closeAllConnections();
  await new Promise<void>((resolve) => ctx.server.close(() => resolve()));
  await ctx.bus.close();
  await ctx.jobs.close();
}

async function post(ctx: Ctx, path: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; body: { code?: string; errors?: { path: string; message: string }[]; detail?: string } }> {
  const res = await fetch(`${ctx.base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { code?: string; errors?: { path: string; message: string }[] } };
}

const paths = (body: { errors?: { path: string }[] }): string[] => (body.errors ?? []).map((e) => e.path);

const refused = suite<Ctx>('door checks: refused with 400 naming the field');
refused.before.each(setUp);
refused.after.each(tearDown);

refused('a ".." or "." segment in a prefix, a key or a report source key', async (ctx) => {
  for (const prefix of ['inbox/../bob/', '../x/', 'inbox/./a/', 'a/..']) {
    const res = await post(ctx, '/v1/zip-jobs', { source: { prefix } });
    assert.is(res.status, 400, prefix);
    assert.is(res.body.code, 'INVALID_INPUT');
    assert.equal(paths(res.body), ['source.prefix'], prefix);
  }
  const keys = await post(ctx, '/v1/zip-jobs', { source: { keys: ['ok/a.txt', 'inbox/bob/../../secret.txt'] } });
  assert.is(keys.status, 400);
  assert.equal(paths(keys.body), ['source.keys[1]']);
  const report = await post(ctx, '/v1/reports', { format: 'pdf', source: { key: 'reports/../x.csv', format: 'csv' } });
  assert.is(report.status, 400);
  assert.equal(paths(report.body), ['source.key']);
  assert.equal(ctx.commands, [], 'nothing was published');
});

refused('names that look like dots are still allowed inside a segment', async (ctx) => {
  const res = await post(ctx, '/v1/zip-jobs', { source: { prefix: 'inbox/a..b/.hidden/' } });
  assert.is(res.status, 202, JSON.stringify(res.body));
});

refused('a report with no rows and no columns', async (ctx) => {
  const res = await post(ctx, '/v1/reports', { format: 'xlsx', rows: [] });
  assert.is(res.status, 400);
  assert.equal(paths(res.body), ['rows']);
  const withColumns = await post(ctx, '/v1/reports', { format: 'xlsx', rows: [], columns: [{ key: 'a', header: 'A' }] });
  assert.is(withColumns.status, 202, 'an empty table with headers is a report');
});

refused('the same checks for events from other systems, naming data.…', async (ctx) => {
  const event = (data: unknown) => ({ specversion: '1.0', id: `e-${Math.random()}`, source: '/other', time: '2026-12-04T00:00:00Z', type: EventType.zipRequested, data });
  const zip = { owner: 'local', source: { bucket: 'artifacts', prefix: 'inbox/../bob/' }, output: { name: 'x.zip' }, options: { compression: 'auto' } };
  const res = await post(ctx, '/v1/events', event(zip), 'application/cloudevents+json');
  assert.is(res.status, 400);
  assert.is(res.body.code, 'INVALID_EVENT');
  assert.match(JSON.stringify(res.body), /data\.source\.prefix/);
  const report = {
    specversion: '1.0', id: 'e-r', source: '/other', time: '2026-12-04T00:00:00Z', type: EventType.reportRequested,
    data: { owner: 'local', format: 'pdf', title: '', columns: [], rows: [], output: { name: 'r.pdf' } },
  };
  const empty = await post(ctx, '/v1/events', report, 'application/cloudevents+json');
  assert.is(empty.status, 400);
  assert.match(JSON.stringify(empty.body), /data\.rows/);
});

refused.run();

const extension = suite<Ctx>('the output name gets its extension on every path');
extension.before.each(setUp);
extension.after.each(tearDown);

extension('HTTP and /v1/events name a zip "x.zip" and a pdf report "r.pdf"', async (ctx) => {
  assert.is((await post(ctx, '/v1/zip-jobs', { source: { prefix: 'a/' }, name: 'x' })).status, 202);
  const zip = { owner: 'local', source: { bucket: 'artifacts', prefix: 'b/' }, output: { name: 'y' }, options: { compression: 'auto' } };
  const viaEvents = await post(ctx, '/v1/events', { specversion: '1.0', id: 'e-z', source: '/other', time: '2026-12-04T00:00:00Z', type: EventType.zipRequested, data: zip }, 'application/cloudevents+json');
  assert.is(viaEvents.status, 202, JSON.stringify(viaEvents.body));
  const report = { owner: 'local', format: 'pdf', title: '', columns: [{ key: 'a', header: 'A' }], rows: [{ a: 1 }], output: { name: 'r' } };
  const reportEvent = await post(ctx, '/v1/events', { specversion: '1.0', id: 'e-p', source: '/other', time: '2026-12-04T00:00:00Z', type: EventType.reportRequested, data: report }, 'application/cloudevents+json');
  assert.is(reportEvent.status, 202, JSON.stringify(reportEvent.body));
  const names = await waitFor(async () => (ctx.commands.length === 3 ? ctx.commands.map((c) => (c.data as { output: { name: string } }).output.name) : undefined), 'three commands', { timeoutMs: 5_000 });
  assert.equal(names.sort(), ['r.pdf', 'x.zip', 'y.zip']);
});

extension.run();

