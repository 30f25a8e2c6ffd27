import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JobStore } from '@artifact-pipeline/shared';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { withDeadline } from '../../../test/harness/support.js';
import { eventRoutes } from './routes-events.js';
import { as, readSse, serveRoutes, type TestServer } from './test-support.js';

interface Ctx { jobs: JobStore; server: TestServer; metrics: ReturnType<typeof createMetrics> }
const at = (s: number): string => new Date(Date.now() - 60_000 + s * 1000).toISOString();

const events = suite<Ctx>('eventRoutes');
events.before(async (ctx) => {
  ctx.jobs = createMemoryJobStore();
  ctx.metrics = createMetrics({ service: 'status-test', defaultMetrics: false });
  ctx.server = await serveRoutes([eventRoutes({ jobs: ctx.jobs, metrics: ctx.metrics, heartbeatMs: 20 })]);
});
events.after(async ({ server, jobs }) => {
  await server.close();
  await jobs.close();
});

events('returns a router', ({ jobs }) => assert.type(eventRoutes({ jobs }).routes, 'function'));

events('streams the state, then every change in order, heartbeats between, and ends at done', async ({ jobs, server, metrics }) => {
  await jobs.create({ id: 's-1', type: 'zip', owner: 'alice', input: {} });
  const res = await fetch(`${server.url}/v1/jobs/s-1/events`, { headers: as('alice') });
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  let first = true;
  const reading = readSse(res, () => {
    if (!first) return;
    first = false;
    void (async () => {
      await new Promise((r) => setTimeout(r, 60));
      await jobs.apply('s-1', { kind: 'started', attempt: 1, at: at(0) });
      for (let i = 1; i <= 3; i++) await jobs.apply('s-1', { kind: 'progressed', attempt: 1, at: at(i), progress: { bytesDone: i, bytesTotal: 3, itemsDone: i, itemsTotal: 3 } });
      await jobs.apply('s-1', { kind: 'completed', attempt: 1, at: at(9), output: { bucket: 'bkt', key: 'k', size: 1, contentType: 'application/zip' }, downloadUrl: 'https://x.test/k', expiresAt: at(99) });
    })();
  });
  assert.is((await metrics.sseStreamsOpen.get()).values[0]?.value, 1);
  const { messages, comments } = await withDeadline(reading, 5_000, 'the stream to end');
  assert.equal(messages.map((m) => m.id), ['1', '2', '3', '4', '5', '6']);
  assert.ok(messages.every((m) => m.event === 'job'));
  const last = JSON.parse(messages.at(-1)!.data) as { status: string; progress: { percent: number } };
  assert.is(last.status, 'done');
  assert.is(last.progress.percent, 100);
  assert.ok(comments >= 2, 'heartbeats were sent');
  assert.is((await metrics.sseStreamsOpen.get()).values[0]?.value, 0);
});

events('Last-Event-ID resumes after the versions already seen; a final job ends the stream', async ({ jobs, server }) => {
  const fromStart = await readSse(await fetch(`${server.url}/v1/jobs/s-1/events`, { headers: as('alice') }));
  assert.equal(fromStart.messages.map((m) => m.id), ['6']);
  const resumed = await readSse(await fetch(`${server.url}/v1/jobs/s-1/events`, { headers: { ...as('alice'), 'last-event-id': '6' } }));
  assert.equal(resumed.messages, []);
  await jobs.create({ id: 's-2', type: 'zip', owner: 'alice', input: {} });
  await jobs.apply('s-2', { kind: 'started', attempt: 1, at: at(0) });
  const res = await fetch(`${server.url}/v1/jobs/s-2/events?lastEventId=1`, { headers: as('alice') });
  const reading = readSse(res);
  await new Promise((r) => setTimeout(r, 50));
  await jobs.apply('s-2', { kind: 'failed', attempt: 1, at: at(2), final: true, error: { code: 'X', message: 'x', retriable: false } });
  const { messages } = await withDeadline(reading, 5_000, 'the resumed stream to end');
  assert.equal(messages.map((m) => m.id), ['2', '3']);
});

events('another owner gets 404, not a stream', async ({ server }) => {
  const res = await fetch(`${server.url}/v1/jobs/s-1/events`, { headers: as('bob') });
  assert.is(res.status, 404);
});

events.run();
