/**
 * Webhooks end to end over Kafka with real Redis: a local receiver on 127.0.0.1 (allowed by
 * WEBHOOK_ALLOW_PRIVATE / WEBHOOK_ALLOW_HTTP) gets one correctly signed CloudEvent per final
 * state, even when the final event is delivered again; 500s are retried and the outcome is
 * on the job.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { failedEvent, lifecycle } from '../../services/status/src/test-support.js';
import { verifyWebhook } from '../../services/status/src/webhook-signature.js';
import { waitFor } from '../harness/support.js';
import { createStatusWorld, type StatusWorld } from './status-support.js';

const SECRET = 'webhook-e2e-secret-0123456789';
interface Hit { path: string; body: string; signature: string; status: number }
interface Ctx { world: StatusWorld; receiver: Server; base: string; hits: Hit[]; answers: Map<string, number[]> }

const webhooks = suite<Ctx>('status webhooks over Kafka');
webhooks.before(async (ctx) => {
  ctx.hits = [];
  ctx.answers = new Map();
  ctx.receiver = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const status = ctx.answers.get(req.url!)?.shift() ?? 204;
    ctx.hits.push({ path: req.url!, body, signature: String(req.headers['x-artifact-signature']), status });
    res.statusCode = status;
    res.end();
  });
  await new Promise<void>((r) => ctx.receiver.listen(0, '127.0.0.1', r));
  ctx.base = `http://127.0.0.1:${(ctx.receiver.address() as AddressInfo).port}`;
  ctx.world = await createStatusWorld('kafka', {
    webhook: { url: `${ctx.base}/all`, secret: SECRET, allowPrivate: true, allowHttp: true, attempts: 5, baseDelayMs: 20 },
  });
});
webhooks.after(async ({ world, receiver }) => {
  await world?.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

const newJob = (world: StatusWorld, id: string, input: Record<string, unknown> = {}) =>
  world.jobs.create({ id, type: 'zip', owner: 'alice', input, createdAt: new Date(Date.now() - 120_000).toISOString() });

webhooks('a completed job is announced once, signed, even when the final event comes twice', async (ctx) => {
  const { world } = ctx;
  const jobId = `${world.name}-done`;
  await newJob(world, jobId);
  const events = lifecycle(jobId, { bucket: world.bucket });
  await world.publish([...events, events.at(-1)!]);
  const job = await waitFor(async () => {
    const j = await world.jobs.get(jobId);
    return j?.notifications?.length ? j : undefined;
  }, 'the delivery outcome on the job', { timeoutMs: 30_000, intervalMs: 100 });
  // The duplicate was projected too (stale or duplicate), and sent nothing more.
  await waitFor(async () => {
    const m = await world.metrics.eventsAppliedTotal.get();
    return m.values.filter((v) => v.labels.type === 'completed').reduce((n, v) => n + v.value, 0) >= 2;
  }, 'the duplicate to be projected', { timeoutMs: 30_000 });
  await world.service.notifier.drain(5_000);
  const mine = ctx.hits.filter((h) => h.body.includes(jobId));
  assert.is(mine.length, 1);
  const hit = mine[0]!;
  assert.ok(verifyWebhook(hit.body, hit.signature, SECRET, Math.floor(Date.now() / 1000)), 'signature verifies');
  assert.not.ok(verifyWebhook(hit.body, hit.signature, 'another-secret-0123456789', Math.floor(Date.now() / 1000)));
  const event = JSON.parse(hit.body) as { specversion: string; type: string; id: string; subject: string; data: { status: string; downloadUrl: string } };
  assert.is(event.specversion, '1.0');
  assert.is(event.type, 'io.artifactpipeline.job.completed.v1');
  assert.is(event.id, events.at(-1)!.id);
  assert.is(event.subject, jobId);
  assert.is(event.data.status, 'done');
  assert.equal(job.notifications!.map((n) => [n.url, n.status, n.attempts]), [[`${ctx.base}/all`, 'delivered', 1]]);
});

webhooks('500s are retried until the receiver accepts; a per-job webhook is called too', async (ctx) => {
  const { world } = ctx;
  const jobId = `${world.name}-failed`;
  ctx.answers.set('/all', [500, 500]);
  await newJob(world, jobId, { notify: { webhook: `${ctx.base}/mine` } });
  const [started] = lifecycle(jobId);
  await world.publish([started!, failedEvent(jobId, 1, true, new Date().toISOString())]);
  const job = await waitFor(async () => {
    const j = await world.jobs.get(jobId);
    return j?.notifications?.length === 2 ? j : undefined;
  }, 'both outcomes on the job', { timeoutMs: 30_000, intervalMs: 100 });
  const toAll = ctx.hits.filter((h) => h.path === '/all' && h.body.includes(jobId));
  assert.equal(toAll.map((h) => h.status), [500, 500, 204]);
  assert.is(new Set(toAll.map((h) => JSON.parse(h.body).id)).size, 1, 'the same event id on every try');
  const outcomes = Object.fromEntries(job.notifications!.map((n) => [n.url, [n.status, n.attempts]]));
  assert.equal(outcomes, { [`${ctx.base}/all`]: ['delivered', 3], [`${ctx.base}/mine`]: ['delivered', 1] });
  assert.is((JSON.parse(toAll[0]!.body) as { data: { status: string } }).data.status, 'failed');
});

webhooks.run();
