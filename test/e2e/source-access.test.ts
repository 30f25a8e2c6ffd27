/**
 * Source access between tenants, against real moto (S3, SQS) and Redis: what Alice and Bob
 * may zip and report through ingest's HTTP door, POST /v1/events and an S3 rule, and what a
 * worker does with a command put straight on the bus. The workers read S3 through a
 * counting proxy in front of moto, so "refused before a byte of Bob's was read" is the
 * number of requests that named Bob's keys: zero.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EventType, Topic, createEvent, silentLogger, toHttpRequest,
  type Bus, type IngestRule, type JobStore, type PipelineEvent, type SourceGrant,
} from '@artifact-pipeline/shared';
import { createSqsBus } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { queueNameFor } from '@artifact-pipeline/shared/adapters/sqs-queues';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { createRedisLeases, type RedisLeases } from '@artifact-pipeline/shared/adapters/redis-leases';
import { createS3ObjectStore, type S3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { createIngestService, type IngestService } from '../../services/ingest/src/ingest-service.js';
import { createRuleMatcher } from '../../services/ingest/src/rules-match.js';
import { s3NotificationConsumer } from '../../services/ingest/src/s3-notifications.js';
import { createZipperService, type ZipperService } from '../../services/zipper/src/zipper-service.js';
import { createReporterService, type ReporterService } from '../../services/reporter/src/reporter-service.js';
import { awsTestConfig, servers, uniqueName, waitFor } from '../harness/support.js';
import { ARTIFACTS_BUCKET, startIngest, type RunningIngest } from './ingest-http-support.js';

type Json = Record<string, any>;
const aws = awsTestConfig(servers().awsEndpointUrl);

// ---------------------------------------------------------------------------------------
// Ingest's HTTP door and POST /v1/events

interface DoorCtx { bus: Bus; jobs: JobStore; ingest: RunningIngest; granted: RunningIngest; commands: PipelineEvent[]; stop: () => Promise<void> }

const Door = suite<DoorCtx>('ingest refuses sources outside the owner\'s areas (HTTP, /v1/events)', {} as DoorCtx);

Door.before(async (ctx) => {
  const prefix = `${uniqueName('srcdoor')}-`;
  ctx.bus = createSqsBus({ ...aws, queueNamePrefix: prefix, maxAttempts: 3, waitTimeSeconds: 1, logger: silentLogger() });
  await ctx.bus.ensureTopic(Topic.zipCommands);
  await ctx.bus.ensureTopic(Topic.reportCommands);
  ctx.jobs = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${prefix}:`, logger: silentLogger() });
  ctx.commands = [];
  const subs = await Promise.all([Topic.zipCommands, Topic.reportCommands].map((t) => ctx.bus.consume(t, async (e) => void ctx.commands.push(e))));
  ctx.stop = async () => void (await Promise.all(subs.map((s) => s.stop(2000))));
  ctx.ingest = await startIngest({ bus: ctx.bus, jobs: ctx.jobs });
  const grants: SourceGrant[] = [{ owners: ['alice'], prefix: 'inbox/bob/shared/' }];
  ctx.granted = await startIngest({
    bus: ctx.bus, jobs: ctx.jobs,
    config: {
      s3: { artifactsBucket: ARTIFACTS_BUCKET, uploadsBucket: ARTIFACTS_BUCKET, allowedSourceBuckets: ['shared-e2e'], forcePathStyle: true, downloadUrlTtlSeconds: 3600, notificationsQueue: undefined },
      auth: { mode: 'jwt', jwtSecret: 'e2e-secret-that-is-at-least-32-characters', jwksUrl: undefined, usersFile: undefined },
      sources: { grants },
    },
  });
});

Door.after(async (ctx) => {
  await ctx.ingest?.close();
  await ctx.granted?.close();
  await ctx.stop?.();
  await ctx.bus?.close();
  await ctx.jobs?.close();
});

async function refused(ctx: DoorCtx, res: Response, owner: string, field: string, named: string): Promise<void> {
  assert.is(res.status, 403, `${field} ${named}: status`);
  const problem = (await res.json()) as Json;
  assert.is(problem.code, 'SOURCE_FORBIDDEN', `${field} ${named}: code`);
  assert.ok(String(problem.detail).startsWith(`${field}: `), `names the field: ${problem.detail}`);
  assert.ok(String(problem.detail).includes(named), `names ${named}: ${problem.detail}`);
  assert.is((await ctx.jobs.list({ owner })).items.length, 0, `${owner}: no job recorded`);
}

Door('Bob cannot zip or report over outputs, the journal, stored requests or webhook dead letters', async (ctx) => {
  const owner = uniqueName('bob');
  const token = await ctx.ingest.token(owner);
  const jobId = randomUUID();
  for (const prefix of ['outputs/', 'outputs/zips/2026/01/02/', 'outputs/reports/', 'journal/', 'journal/2026/', 'requests/', 'webhook-dlq/', '', 'jour']) {
    const res = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix }, name: 'loot.zip' }, { token });
    await refused(ctx, res, owner, 'source.prefix', prefix === '' ? 'the whole bucket' : prefix);
  }
  const keys = [`outputs/zips/2026/01/02/${jobId}/a.zip`, `outputs/reports/2026/01/02/${jobId}/a.xlsx`, 'journal/2026/01/02/03/x.jsonl', `requests/${jobId}.json`, `webhook-dlq/2026/01/02/${jobId}-x.json`];
  for (const key of keys) {
    const zip = await ctx.ingest.post('/v1/zip-jobs', { source: { keys: [key] } }, { token });
    await refused(ctx, zip, owner, 'source.keys[0]', key);
    const report = await ctx.ingest.post('/v1/reports', { format: 'xlsx', source: { key, format: 'jsonl' } }, { token });
    await refused(ctx, report, owner, 'source.key', key);
  }
  // A reports/ key of Bob's own stays his to read: the outputs moved out of his way.
  assert.is((await ctx.ingest.post('/v1/reports', { format: 'xlsx', source: { key: `reports/${owner}/sales.csv`, format: 'csv' } }, { token })).status, 202);
});

Door('Alice cannot zip or report over Bob\'s areas; her own are fine', async (ctx) => {
  const alice = uniqueName('alice');
  const token = await ctx.ingest.token(alice);
  for (const prefix of ['inbox/bob/', 'inbox/bob/batch1/', 'videos/bob/', 'reports/bob/', `inbox/${alice}`, 'other/']) {
    await refused(ctx, await ctx.ingest.post('/v1/zip-jobs', { source: { prefix } }, { token }), alice, 'source.prefix', prefix);
  }
  // A key list is checked key by key: one of Bob's among her own refuses the whole request.
  const mixed = await ctx.ingest.post('/v1/zip-jobs', { source: { keys: [`inbox/${alice}/a.txt`, 'inbox/bob/secret.txt', `inbox/${alice}/b.txt`] } }, { token });
  await refused(ctx, mixed, alice, 'source.keys[1]', 'inbox/bob/secret.txt');
  await refused(ctx, await ctx.ingest.post('/v1/reports', { format: 'pdf', source: { key: 'reports/bob/salaries.csv', format: 'csv' } }, { token }), alice, 'source.key', 'reports/bob/salaries.csv');
  await refused(ctx, await ctx.ingest.post('/v1/zip-jobs', { source: { bucket: 'shared-e2e', prefix: 'inbox/bob/' } }, { token }), alice, 'source.prefix', 'inbox/bob/');
  assert.is(ctx.commands.filter((c) => (c.data as Json).owner === alice).length, 0, 'nothing published for her refusals');

  for (const body of [{ source: { prefix: `inbox/${alice}/b1/` } }, { source: { bucket: 'shared-e2e', prefix: `videos/${alice}/` } }, { source: { keys: [`reports/${alice}/x.csv`] } }]) {
    assert.is((await ctx.ingest.post('/v1/zip-jobs', body, { token })).status, 202, JSON.stringify(body));
  }
});

Door('POST /v1/events: Alice cannot start a job over Bob\'s prefix either', async (ctx) => {
  const token = await ctx.ingest.token('alice');
  for (const mode of ['binary', 'structured'] as const) {
    const event = createEvent(EventType.zipRequested, { jobId: randomUUID(), owner: 'alice', source: { bucket: ARTIFACTS_BUCKET, prefix: 'inbox/bob/' }, output: { name: 'x.zip' }, options: { compression: 'auto' } }, { source: '/other-team/web' });
    const { headers, body } = toHttpRequest({ ...event, data: { ...(event.data as object), jobId: undefined } } as PipelineEvent, mode);
    const res = await fetch(`${ctx.ingest.base}/v1/events`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${token}` }, body });
    assert.is(res.status, 403, mode);
    const problem = (await res.json()) as Json;
    assert.is(problem.code, 'SOURCE_FORBIDDEN');
    assert.match(problem.detail, /^data\.source\.prefix: inbox\/bob\//);
  }
});

Door('a configured grant lets Alice read a part of Bob\'s inbox, and only that part', async (ctx) => {
  const token = await ctx.granted.token('alice');
  const res = await ctx.granted.post('/v1/zip-jobs', { source: { prefix: 'inbox/bob/shared/q1/' } }, { token });
  assert.is(res.status, 202);
  assert.equal(((await res.json()) as Json).input.prefix, 'inbox/bob/shared/q1/');
  const other = await ctx.granted.post('/v1/zip-jobs', { source: { prefix: 'inbox/bob/private/' } }, { token });
  assert.is(other.status, 403);
  // The grant names Alice only: Carol gets nothing of Bob's.
  const carol = await ctx.granted.token('carol');
  assert.is((await ctx.granted.post('/v1/zip-jobs', { source: { prefix: 'inbox/bob/shared/' } }, { token: carol })).status, 403);
});

Door('an admin reads any prefix of an allowed bucket, and the job says so', async (ctx) => {
  const ada = uniqueName('ada');
  const token = await ctx.ingest.token(ada, ['admin']);
  for (const prefix of ['inbox/bob/', 'journal/', '']) {
    const res = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix } }, { token });
    assert.is(res.status, 202, prefix);
    const job = (await res.json()) as Json;
    assert.is((await ctx.jobs.get(job.id))?.input.sourceAccess, 'admin');
  }
  // Within the admin's own areas the scope is not needed, and the job does not carry the mark.
  const own = (await (await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: `inbox/${ada}/b1/` } }, { token })).json()) as Json;
  assert.is((await ctx.jobs.get(own.id))?.input.sourceAccess, undefined);
  // Even an admin stays inside the allowed buckets.
  const res = await ctx.ingest.post('/v1/zip-jobs', { source: { bucket: 'someone-else', prefix: 'a/' } }, { token });
  assert.is(res.status, 403);
  assert.is(((await res.json()) as Json).code, 'BUCKET_NOT_ALLOWED');
});

Door.run();

// ---------------------------------------------------------------------------------------
// An S3 rule whose source lies outside the area its pattern gives the owner

interface RuleCtx { prefix: string; bus: Bus; jobs: JobStore; s3: S3Client; sqs: SQSClient; service: IngestService; bucket: string; commands: PipelineEvent[] }

const Rule = suite<RuleCtx>('an S3 rule cannot hand Alice Bob\'s inbox', {} as RuleCtx);

Rule.before(async (ctx) => {
  ctx.prefix = `${uniqueName('srcrule')}-`;
  ctx.bus = createSqsBus({ ...aws, queueNamePrefix: ctx.prefix, maxAttempts: 2, waitTimeSeconds: 1, visibilityTimeoutSeconds: 5, logger: silentLogger() });
  ctx.jobs = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${ctx.prefix}:`, logger: silentLogger() });
  ctx.s3 = new S3Client(aws);
  ctx.sqs = new SQSClient(aws);
  ctx.bucket = uniqueName('drops');
  ctx.commands = [];
  await ctx.bus.ensureTopic(Topic.s3Notifications);
  await ctx.bus.ensureTopic(Topic.zipCommands);
  const { QueueUrl } = await ctx.sqs.send(new GetQueueUrlCommand({ QueueName: queueNameFor(ctx.prefix, Topic.s3Notifications) }));
  const arn = (await ctx.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  const objects = createS3ObjectStore(aws);
  await objects.ensureBucket(ctx.bucket);
  await objects.close();
  await ctx.s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: ctx.bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: arn, Events: ['s3:ObjectCreated:*'] }] },
  }));
  // `{target}` picks whose inbox is zipped: the owner in the key must not get to choose it.
  const rules: IngestRule[] = [
    { pattern: 'drop/{owner}/{target}/_GO', action: 'zip', source: 'inbox/{target}/', name: 'x.zip' },
    { pattern: 'drop/{owner}/_MINE', action: 'zip', source: 'drop/{owner}/', name: 'mine.zip' },
  ];
  const metrics = createMetrics({ service: 'source-rule-e2e', defaultMetrics: false });
  ctx.service = createIngestService({
    config: {
      s3: { artifactsBucket: ctx.bucket, uploadsBucket: ctx.bucket, allowedSourceBuckets: [], forcePathStyle: true, downloadUrlTtlSeconds: 3600, notificationsQueue: Topic.s3Notifications },
      auth: { mode: 'none', jwtSecret: undefined, jwksUrl: undefined, usersFile: undefined },
      ingest: { rules },
    },
    bus: ctx.bus, jobs: ctx.jobs, objects: undefined as never, logger: silentLogger(), metrics,
    consumers: [s3NotificationConsumer({ bus: ctx.bus, matcher: createRuleMatcher(rules), metrics })],
  });
  await ctx.service.start();
  await ctx.bus.consume(Topic.zipCommands, async (event) => void ctx.commands.push(event));
});

Rule.after(async (ctx) => {
  await ctx.service?.stop(1_000);
  await ctx.bus?.close();
  await ctx.jobs?.close();
  ctx.s3?.destroy();
  ctx.sqs?.destroy();
});

Rule('drop/alice/bob/_GO is dead-lettered with SOURCE_FORBIDDEN; drop/alice/_MINE becomes her job', async (ctx) => {
  const objects = createS3ObjectStore(aws);
  try {
    await objects.put(ctx.bucket, 'drop/alice/bob/_GO', Readable.from([Buffer.alloc(0)]));
    await objects.put(ctx.bucket, 'drop/alice/_MINE', Readable.from([Buffer.alloc(0)]));
  } finally {
    await objects.close();
  }
  const letters = await waitFor(async () => {
    const got = await ctx.bus.drainDeadLetters(Topic.s3Notifications);
    return got.length > 0 ? got : undefined;
  }, 'the dead letter', { timeoutMs: 40_000 });
  assert.is(letters.length, 1);
  assert.is(letters[0]!.reason.code, 'SOURCE_FORBIDDEN');
  assert.match(letters[0]!.reason.message, /source\.prefix: inbox\/bob\//);
  await waitFor(() => ctx.commands.length >= 1, 'the command of her own drop', { timeoutMs: 20_000 });
  const { items } = await ctx.jobs.list({ owner: 'alice' });
  assert.equal(items.map((j) => j.input.prefix), ['drop/alice/']);
  assert.equal(ctx.commands.map((c) => (c.data as Json).source.prefix), ['drop/alice/']);
});

Rule.run();

// ---------------------------------------------------------------------------------------
// Commands put straight on the bus: the worker checks before it reads

interface ProxyCounts { lines: string[]; naming(text: string): number }

/** An HTTP proxy in front of moto that records `METHOD decoded-url` of each request. */
async function countingProxy(target: string): Promise<{ url: string; counts: ProxyCounts; close(): Promise<void> }> {
  const lines: string[] = [];
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    lines.push(`${req.method} ${decodeURIComponent(req.url ?? '')}`);
    const upstream = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    counts: { lines, naming: (text) => lines.filter((l) => l.includes(text)).length },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

interface WorkerCtx {
  bus: Bus; jobs: JobStore; leases: RedisLeases; objects: S3ObjectStore; direct: S3ObjectStore;
  proxy: Awaited<ReturnType<typeof countingProxy>>; zipper: ZipperService; reporter: ReporterService;
  bucket: string; other: string; events: PipelineEvent[]; stopObserver: () => Promise<void>;
}

const Worker = suite<WorkerCtx>('a forged command cannot make a worker read another owner\'s objects', {} as WorkerCtx);

Worker.before(async (ctx) => {
  const prefix = `${uniqueName('srcwrk')}-`;
  ctx.bus = createSqsBus({ ...aws, queueNamePrefix: prefix, maxAttempts: 3, waitTimeSeconds: 1, backoff: { baseMs: 50, maxMs: 200 }, logger: silentLogger() });
  ctx.jobs = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${prefix}:`, logger: silentLogger() });
  ctx.leases = createRedisLeases({ url: servers().redisUrl });
  ctx.proxy = await countingProxy(servers().awsEndpointUrl);
  ctx.objects = createS3ObjectStore(awsTestConfig(ctx.proxy.url));
  ctx.direct = createS3ObjectStore(aws);
  ctx.bucket = uniqueName('art');
  ctx.other = uniqueName('notallowed');
  await Promise.all([ctx.direct.ensureBucket(ctx.bucket), ctx.direct.ensureBucket(ctx.other)]);
  const files: Array<[string, string, string]> = [
    [ctx.bucket, 'inbox/bob/secret.txt', 'bob only'],
    [ctx.bucket, 'reports/bob/salaries.csv', 'name,pay\nbob,100\n'],
    [ctx.bucket, 'outputs/zips/2026/01/02/x/alice.zip', 'not a source'],
    [ctx.bucket, 'journal/2026/01/02/03/x.jsonl', '{}\n'],
    [ctx.bucket, 'inbox/alice/mine.txt', 'alice'],
    [ctx.bucket, 'reports/alice/mine.csv', 'a,b\n1,2\n'],
    [ctx.other, 'inbox/alice/elsewhere.txt', 'elsewhere'],
  ];
  for (const [bucket, key, body] of files) await ctx.direct.put(bucket, key, Readable.from([Buffer.from(body)]));
  const config = {
    s3: { artifactsBucket: ctx.bucket, uploadsBucket: ctx.bucket, downloadUrlTtlSeconds: 600, forcePathStyle: true, allowedSourceBuckets: [], notificationsQueue: undefined },
    worker: { maxAttempts: 3, concurrency: 1 },
    shutdown: { graceSeconds: 5 },
  };
  const deps = { config, bus: ctx.bus, objects: ctx.objects, jobs: ctx.jobs, leases: ctx.leases, logger: silentLogger(), leaseTtlMs: 3_000 };
  ctx.zipper = createZipperService(deps);
  ctx.reporter = createReporterService(deps);
  ctx.events = [];
  // Provisioned first, as `artifacts provision` does: the services only resolve their queues.
  for (const topic of [Topic.events, Topic.zipCommands, Topic.reportCommands]) await ctx.bus.ensureTopic(topic);
  const observer = await ctx.bus.consume(Topic.events, async (e) => void ctx.events.push(e), { group: 'observer' });
  ctx.stopObserver = () => observer.stop(1000);
  await ctx.zipper.start();
  await ctx.reporter.start();
});

Worker.after(async (ctx) => {
  await ctx.zipper?.stop(2_000);
  await ctx.reporter?.stop(2_000);
  await ctx.stopObserver?.();
  await ctx.bus?.close();
  await Promise.allSettled([ctx.direct?.removeBucket(ctx.bucket), ctx.direct?.removeBucket(ctx.other)]);
  await ctx.objects?.close();
  await ctx.direct?.close();
  await ctx.proxy?.close();
  await ctx.jobs?.close();
  await ctx.leases?.close();
});

/** Records the job as ingest would for `owner` (with `input`), then publishes the command. */
async function forge(ctx: WorkerCtx, type: 'zip' | 'report', owner: string, data: Json, input: Json = {}): Promise<string> {
  const jobId = randomUUID();
  await ctx.jobs.create({ id: jobId, type, owner, input });
  const [eventType, topic] = type === 'zip' ? [EventType.zipRequested, Topic.zipCommands] : [EventType.reportRequested, Topic.reportCommands];
  const base = type === 'zip' ? { output: { name: 'x.zip' }, options: { compression: 'auto' } } : { format: 'xlsx', title: '', columns: [], output: { name: 'x.xlsx' } };
  await ctx.bus.publish(topic, createEvent(eventType, { jobId, owner, ...base, ...data } as never, { source: '/somewhere/else' }));
  return jobId;
}

async function outcome(ctx: WorkerCtx, jobId: string): Promise<{ type: string; data: Json }> {
  const done = await waitFor(
    () => ctx.events.find((e) => e.subject === jobId && (e.type === EventType.jobCompleted || (e.type === EventType.jobFailed && (e.data as Json).final))),
    `job ${jobId} to finish`, { timeoutMs: 40_000, intervalMs: 100 },
  );
  return { type: done.type, data: done.data as Json };
}

Worker('Alice\'s forged commands over Bob\'s areas and the outputs fail with SOURCE_FORBIDDEN, reading none of it', async (ctx) => {
  const forged = [
    ['zip', { source: { bucket: ctx.bucket, prefix: 'inbox/bob/' } }, 'inbox/bob'],
    ['zip', { source: { bucket: ctx.bucket, keys: ['inbox/alice/mine.txt', 'inbox/bob/secret.txt'] } }, 'inbox/bob'],
    ['zip', { source: { bucket: ctx.bucket, prefix: 'outputs/' } }, 'outputs/'],
    ['zip', { source: { bucket: ctx.bucket, prefix: 'journal/' } }, 'journal/'],
    ['report', { source: { bucket: ctx.bucket, key: 'reports/bob/salaries.csv', format: 'csv' } }, 'reports/bob'],
  ] as const;
  for (const [type, data, named] of forged) {
    const jobId = await forge(ctx, type, 'alice', data);
    const { type: ended, data: result } = await outcome(ctx, jobId);
    assert.is(ended, EventType.jobFailed, JSON.stringify(data));
    assert.is(result.error.code, 'SOURCE_FORBIDDEN');
    assert.is(result.error.retriable, false);
    assert.ok(String(result.error.message).includes(named), result.error.message);
    assert.is(result.attempt, 1, 'not retried');
  }
  for (const named of ['inbox/bob', 'reports/bob', 'prefix=outputs/', 'prefix=journal/']) {
    assert.is(ctx.proxy.counts.naming(named), 0, `requests naming ${named}: ${ctx.proxy.counts.lines.filter((l) => l.includes(named)).join('; ')}`);
  }
});

Worker('a bucket outside ARTIFACTS_BUCKET and ALLOWED_SOURCE_BUCKETS is BUCKET_NOT_ALLOWED, never requested', async (ctx) => {
  const jobId = await forge(ctx, 'zip', 'alice', { source: { bucket: ctx.other, prefix: 'inbox/alice/' } });
  const { type, data } = await outcome(ctx, jobId);
  assert.is(type, EventType.jobFailed);
  assert.is(data.error.code, 'BUCKET_NOT_ALLOWED');
  assert.is(ctx.proxy.counts.naming(`/${ctx.other}`), 0);
});

Worker('her own areas are read (through the same proxy), and an admin job recorded by ingest reads Bob\'s', async (ctx) => {
  const own = await outcome(ctx, await forge(ctx, 'zip', 'alice', { source: { bucket: ctx.bucket, prefix: 'inbox/alice/' } }));
  assert.is(own.type, EventType.jobCompleted, JSON.stringify(own.data));
  assert.ok(ctx.proxy.counts.naming('inbox/alice/') > 0, 'the proxy sees the worker\'s reads');
  const report = await outcome(ctx, await forge(ctx, 'report', 'alice', { source: { bucket: ctx.bucket, key: 'reports/alice/mine.csv', format: 'csv' } }));
  assert.is(report.type, EventType.jobCompleted, JSON.stringify(report.data));
  assert.ok(report.data.output.key.startsWith('outputs/reports/'), report.data.output.key);

  const admin = await outcome(ctx, await forge(ctx, 'zip', 'ada', { source: { bucket: ctx.bucket, prefix: 'inbox/bob/' } }, { sourceAccess: 'admin' }));
  assert.is(admin.type, EventType.jobCompleted, JSON.stringify(admin.data));
  assert.is(admin.data.manifest.included, 1);
  // The mark counts only on the job's own record: the same command for a job without it fails.
  const unmarked = await outcome(ctx, await forge(ctx, 'zip', 'ada', { source: { bucket: ctx.bucket, prefix: 'inbox/bob/' } }));
  assert.is(unmarked.data.error?.code, 'SOURCE_FORBIDDEN');
});

Worker.run();
