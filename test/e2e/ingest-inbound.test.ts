/**
 * Events from other systems on real Kafka + Redis: produced to `artifacts.inbound` by a
 * Python producer (cloudevents + kafka-python, test/interop/produce_inbound.py) in binary
 * and structured mode, and POSTed to /v1/events in both HTTP modes.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_INGEST_RULES, EventType, Topic, silentLogger, toHttpRequest, createEvent, type Bus, type DeadLetter, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createKafkaBus } from '@artifact-pipeline/shared/adapters/kafka-bus';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { createIngestService, type IngestService } from '../../services/ingest/src/ingest-service.js';
import { inboundConsumer } from '../../services/ingest/src/inbound-consumer.js';
import { createRuleMatcher } from '../../services/ingest/src/rules-match.js';
import { servers, uniqueName, waitFor, withDeadline } from '../harness/support.js';

const SECRET = 'inbound-e2e-secret-at-least-32-characters';
const BUCKET = 'artifacts-inbound-e2e';
const PRODUCER = fileURLToPath(new URL('../interop/produce_inbound.py', import.meta.url));
const PYTHON = process.env.TEST_PYTHON ?? fileURLToPath(new URL('../../.cache/servers/moto-venv/bin/python', import.meta.url));

interface Ctx { prefix: string; bus: Bus; jobs: JobStore; service: IngestService; server: Server; base: string; commands: PipelineEvent[] }

const zipData = (prefix: string, extra: Record<string, unknown> = {}) => ({
  owner: 'team-a', source: { bucket: BUCKET, prefix }, output: { name: 'x.zip' }, options: { compression: 'auto' }, ...extra,
});

async function produce(ctx: Ctx, mode: 'binary' | 'structured', spec: Record<string, unknown>): Promise<string> {
  const run = promisify(execFile)(PYTHON, [PRODUCER, servers().kafkaBrokers.join(','), `${ctx.prefix}${Topic.inbound}`, mode, JSON.stringify(spec)], { timeout: 30_000 });
  return (await withDeadline(run, 35_000, 'the python producer')).stdout.trim();
}

const commandFor = (ctx: Ctx, prefix: string) => ctx.commands.find((c) => (c.data as { source?: { prefix?: string } }).source?.prefix === prefix);

const Inbound = suite<Ctx>('inbound events → ingest (Kafka, HTTP, Redis)', {} as Ctx);

Inbound.before(async (ctx) => {
  ctx.prefix = `${uniqueName('inbound')}.`;
  ctx.bus = createKafkaBus({ brokers: servers().kafkaBrokers, clientId: 'ingest-inbound-e2e', topicPrefix: ctx.prefix, groupPrefix: ctx.prefix, maxAttempts: 2, partitions: 1, backoff: { baseMs: 10, maxMs: 50 }, logger: silentLogger() });
  for (const topic of [Topic.inbound, Topic.zipCommands]) await ctx.bus.ensureTopic(topic);
  ctx.jobs = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${ctx.prefix}:`, logger: silentLogger() });
  ctx.commands = [];
  const metrics = createMetrics({ service: 'ingest-inbound-e2e', defaultMetrics: false });
  const matcher = createRuleMatcher(DEFAULT_INGEST_RULES);
  const buckets = { defaultBucket: BUCKET, allowed: [] };
  ctx.service = createIngestService({
    config: {
      s3: { artifactsBucket: BUCKET, uploadsBucket: BUCKET, allowedSourceBuckets: [], forcePathStyle: true, downloadUrlTtlSeconds: 3600, notificationsQueue: undefined },
      auth: { mode: 'jwt', jwtSecret: SECRET, jwksUrl: undefined, usersFile: undefined },
    },
    bus: ctx.bus, jobs: ctx.jobs, objects: undefined as never, logger: silentLogger(), metrics,
    matcher,
    consumers: [inboundConsumer({ bus: ctx.bus, matcher, buckets })],
  });
  await ctx.service.start();
  await ctx.bus.consume(Topic.zipCommands, async (event) => void ctx.commands.push(event), { group: 'reader' });
  ctx.server = createServer(ctx.service.callback());
  await new Promise<void>((resolve) => ctx.server.listen(0, '127.0.0.1', resolve));
  ctx.base = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
});

Inbound.after(async (ctx) => {
  ctx.server?.closeAllConnections();
  await new Promise((resolve) => (ctx.server ? ctx.server.close(resolve) : resolve(undefined)));
  await ctx.service?.stop(1_000);
  await ctx.bus?.close();
  await ctx.jobs?.close();
});

Inbound('a binary-mode event from the Python producer, without a jobId, becomes a job', async (ctx) => {
  const id = await produce(ctx, 'binary', { type: EventType.zipRequested, source: '/other-team/orders', data: zipData('inbox/team-a/py/binary/') });
  const command = await waitFor(() => commandFor(ctx, 'inbox/team-a/py/binary/'), 'the zip command', { timeoutMs: 45_000 });
  const data = command.data as { jobId: string; owner: string };
  assert.is(data.owner, 'team-a');
  const job = await ctx.jobs.get(data.jobId);
  assert.is(job?.status, 'queued');
  assert.is(command.idempotencykey, `ce:/other-team/orders:${id}`);
});

Inbound('a structured-mode event with an idempotencykey becomes a job; sent again, no second one', async (ctx) => {
  const spec = { type: EventType.zipRequested, source: '/other-team/orders', idempotencykey: uniqueName('order'), data: zipData('inbox/team-a/py/structured/') };
  await produce(ctx, 'structured', spec);
  await waitFor(() => commandFor(ctx, 'inbox/team-a/py/structured/'), 'the zip command', { timeoutMs: 30_000 });
  await produce(ctx, 'structured', spec);
  // The copy is behind the marker event on the same (single) partition.
  await produce(ctx, 'binary', { type: EventType.zipRequested, source: '/other-team/orders', data: zipData('inbox/team-a/py/after-copy/') });
  await waitFor(() => commandFor(ctx, 'inbox/team-a/py/after-copy/'), 'the command after the copy', { timeoutMs: 30_000 });
  assert.is(ctx.commands.filter((c) => (c.data as { source: { prefix: string } }).source.prefix === 'inbox/team-a/py/structured/').length, 1);
});

Inbound('malformed events are dead-lettered with the reason and publish nothing', async (ctx) => {
  await produce(ctx, 'binary', { type: EventType.zipRequested, source: '/other-team/orders', data: { ...zipData('inbox/team-a/py/bad/'), owner: undefined } });
  await produce(ctx, 'structured', { type: EventType.jobStarted, source: '/other-team/orders', data: { jobId: 'x1', type: 'zip', attempt: 1 } });
  // A drain returns each dead letter once (and commits it): keep what every poll returns.
  const letters: DeadLetter[] = [];
  await waitFor(async () => {
    letters.push(...(await ctx.bus.drainDeadLetters(Topic.inbound)));
    return letters.length >= 2 ? letters : undefined;
  }, 'two dead letters', { timeoutMs: 40_000 });
  assert.is(letters.length, 2, 'one dead letter per malformed event');
  const reasons = letters.map((l) => `${l.reason.code} ${l.reason.message}`).sort();
  assert.match(reasons[0]!, /INVALID_EVENT .*owner/);
  assert.match(reasons[1]!, /INVALID_EVENT .*job\.started/);
  assert.not.ok(commandFor(ctx, 'inbox/team-a/py/bad/'), 'no command for the malformed event');
});

Inbound('an event for team-a over team-b\'s inbox is dead-lettered with SOURCE_FORBIDDEN and publishes nothing', async (ctx) => {
  await produce(ctx, 'binary', { type: EventType.zipRequested, source: '/other-team/orders', data: zipData('inbox/team-b/py/') });
  const letters = await waitFor(async () => {
    const got = await ctx.bus.drainDeadLetters(Topic.inbound);
    return got.length > 0 ? got : undefined;
  }, 'the dead letter', { timeoutMs: 40_000 });
  assert.equal(letters.map((l) => l.reason.code), ['SOURCE_FORBIDDEN']);
  assert.match(letters[0]!.reason.message, /^data\.source\.prefix: inbox\/team-b\/py\//);
  assert.not.ok(commandFor(ctx, 'inbox/team-b/py/'), 'no command');
  assert.is((await ctx.jobs.list({ owner: 'team-a' })).items.filter((j) => j.input.prefix === 'inbox/team-b/py/').length, 0, 'no job');
});

Inbound('POST /v1/events binary and structured → 202 with the job; malformed → 400', async (ctx) => {
  const token = await issueToken({ secret: SECRET, subject: 'team-a' });
  const event = createEvent(EventType.zipRequested, { jobId: `j-${uniqueName('http')}`, ...zipData('inbox/team-a/http/x/') } as never, { source: '/other-team/web' });
  for (const mode of ['binary', 'structured'] as const) {
    const { headers, body } = toHttpRequest({ ...event, id: `${event.id}-${mode}`, data: { ...(event.data as object), jobId: undefined, source: { bucket: BUCKET, prefix: `inbox/team-a/http/${mode}/` } } } as PipelineEvent, mode);
    const res = await fetch(`${ctx.base}/v1/events`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${token}` }, body });
    assert.is(res.status, 202, mode);
    const job = (await res.json()) as { id: string; owner: string; status: string };
    assert.is(job.owner, 'team-a');
    assert.is(res.headers.get('location'), `/v1/jobs/${job.id}`);
    assert.is((await ctx.jobs.get(job.id))?.status, 'queued');
  }
  const bad = await fetch(`${ctx.base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'bad-1', 'ce-source': '/x', 'ce-type': EventType.zipRequested, authorization: `Bearer ${token}` },
    body: JSON.stringify({ owner: 'team-a', source: { bucket: BUCKET, prefix: 'inbox/team-a/http/bad/' } }),
  });
  assert.is(bad.status, 400);
  assert.match(bad.headers.get('content-type') ?? '', /application\/problem\+json/);
  const problem = (await bad.json()) as { code: string; detail: string };
  assert.is(problem.code, 'INVALID_EVENT');
  assert.match(problem.detail, /output|options/);
  const other = await fetch(`${ctx.base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ specversion: '1.0', id: 'o-1', source: '/x', time: new Date().toISOString(), type: EventType.zipRequested, data: zipData('inbox/team-a/http/other/', { owner: 'team-b' }) }),
  });
  assert.is(other.status, 403, "another owner's job needs the admin scope");
  await waitFor(() => commandFor(ctx, 'inbox/team-a/http/structured/'), 'the structured command', { timeoutMs: 20_000 });
  assert.not.ok(commandFor(ctx, 'inbox/team-a/http/bad/') ?? commandFor(ctx, 'inbox/team-a/http/other/'));
});

Inbound.run();
