import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JobStore } from '@artifact-pipeline/shared';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { waitFor } from '../../../test/harness/support.js';
import { createProjector } from './project-event.js';
import { failedEvent, lifecycle } from './test-support.js';
import { verifyWebhook } from './webhook-signature.js';
import { checkWebhookTarget, isPrivateAddress } from './webhook-target.js';
import { createNotifier, type Notifier } from './webhooks.js';
import type { WebhookDeadLetter } from './webhook-dead-letters.js';

const SECRET = 'test-secret-0123456789';
interface Received { body: string; signature: string }
interface Ctx { jobs: JobStore; server: Server; url: string; received: Received[]; answers: number[]; letters: WebhookDeadLetter[]; notifier: Notifier }

const readBody = async (req: IncomingMessage): Promise<string> => {
  let s = '';
  for await (const c of req) s += c;
  return s;
};

const notifier = suite<Ctx>('createNotifier');
notifier.before(async (ctx) => {
  ctx.received = [];
  ctx.answers = [];
  ctx.server = createServer(async (req, res) => {
    ctx.received.push({ body: await readBody(req), signature: String(req.headers['x-artifact-signature']) });
    res.statusCode = ctx.answers.shift() ?? 204;
    res.end();
  });
  await new Promise<void>((r) => ctx.server.listen(0, '127.0.0.1', r));
  ctx.url = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}/hook`;
});
notifier.before.each(async (ctx) => {
  ctx.received.length = 0;
  ctx.letters = [];
  ctx.jobs = createMemoryJobStore();
  ctx.notifier = createNotifier({
    jobs: ctx.jobs, secret: SECRET, url: ctx.url, allowHttp: false, allowPrivate: false, attempts: 3, baseDelayMs: 5,
    deadLetters: { put: async (l) => { ctx.letters.push(l); return 'k'; } },
  });
});
notifier.after(async ({ server }) => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const run = async (ctx: Ctx, events: ReturnType<typeof lifecycle>, input: Record<string, unknown> = {}): Promise<void> => {
  await ctx.jobs.create({ id: 'w-1', type: 'zip', owner: 'alice', input, createdAt: new Date(Date.now() - 120_000).toISOString() });
  const project = createProjector({ jobs: ctx.jobs, onApplied: (e, j, a) => ctx.notifier.notify(e, j, a) });
  for (const event of events) await project(event);
};

notifier('has notify and drain', ({ notifier: n }) => {
  assert.type(n.notify, 'function');
  assert.type(n.drain, 'function');
});

notifier('a completed job is announced once, signed, and the outcome recorded', async (ctx) => {
  const events = lifecycle('w-1');
  await run(ctx, [...events, events.at(-1)!]);
  await ctx.notifier.drain(5_000);
  assert.is(ctx.received.length, 1);
  const { body, signature } = ctx.received[0]!;
  assert.ok(verifyWebhook(body, signature, SECRET, Math.floor(Date.now() / 1000)));
  assert.not.ok(verifyWebhook(body + ' ', signature, SECRET, Math.floor(Date.now() / 1000)));
  const event = JSON.parse(body) as { id: string; type: string; data: { status: string } };
  assert.is(event.id, events.at(-1)!.id);
  assert.is(event.data.status, 'done');
  const job = (await ctx.jobs.get('w-1'))!;
  assert.equal(job.notifications?.map((n) => [n.url, n.status, n.attempts]), [[ctx.url, 'delivered', 1]]);
});

notifier('500s are retried; after the limit the event is dead-lettered and recorded as failed', async (ctx) => {
  ctx.answers.push(500, 500, 500);
  const [started] = lifecycle('w-1');
  await run(ctx, [started!, failedEvent('w-1', 1, true, new Date().toISOString())]);
  await ctx.notifier.drain(5_000);
  assert.is(ctx.received.length, 3);
  assert.is(ctx.letters.length, 1);
  assert.is(ctx.letters[0]!.attempts, 3);
  const job = (await ctx.jobs.get('w-1'))!;
  assert.equal(job.notifications?.map((n) => n.status), ['failed']);
});

notifier('a per-job webhook on a loopback address is refused without WEBHOOK_ALLOW_PRIVATE', async (ctx) => {
  await run(ctx, lifecycle('w-1'), { notify: { webhook: `${ctx.url}?own` } });
  await ctx.notifier.drain(5_000);
  await waitFor(async () => (await ctx.jobs.get('w-1'))!.notifications?.length === 2, 'both outcomes');
  assert.is(ctx.received.length, 1, 'only WEBHOOK_URL was called');
  const outcomes = Object.fromEntries((await ctx.jobs.get('w-1'))!.notifications!.map((n) => [n.url, n.status]));
  assert.equal(outcomes, { [ctx.url]: 'delivered', [`${ctx.url}?own`]: 'failed' });
});

notifier.run();

const refused = async (p: Promise<unknown>): Promise<boolean> => p.then(() => false, (err: { code?: string }) => err.code === 'INVALID_INPUT');

const target = suite('checkWebhookTarget');
target('https to a public address passes; http, loopback and private names do not', async () => {
  const lookup = async (host: string): Promise<string[]> => (host === 'public.test' ? ['93.184.216.34'] : ['10.0.0.7']);
  assert.is((await checkWebhookTarget('https://public.test/x', { allowHttp: false, allowPrivate: false, lookup })).host, 'public.test');
  assert.ok(await refused(checkWebhookTarget('http://public.test/x', { allowHttp: false, allowPrivate: false, lookup })));
  assert.ok(await refused(checkWebhookTarget('https://inside.test/x', { allowHttp: false, allowPrivate: false, lookup })));
  assert.ok(await refused(checkWebhookTarget('https://[::1]/x', { allowHttp: false, allowPrivate: false, lookup })));
  assert.ok(await checkWebhookTarget('http://127.0.0.1:9/x', { allowHttp: true, allowPrivate: true, lookup }));
});
target('isPrivateAddress knows the reserved ranges', () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
    assert.ok(isPrivateAddress(a), a);
  }
  for (const a of ['8.8.8.8', '172.32.0.1', '2606:4700::1111']) assert.not.ok(isPrivateAddress(a), a);
});
target.run();
