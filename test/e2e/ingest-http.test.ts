/**
 * Ingest's HTTP door against real Redis (job store, idempotency) and moto SQS (the bus):
 * one request → one queued job and one command; idempotency under concurrency; malformed
 * requests publish nothing; tokens; PUBLISH_FAILED.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Topic, silentLogger, type Bus, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createSqsBus } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import { SignJWT } from 'jose';
import { awsTestConfig, servers, uniqueName, waitFor, withDeadline } from '../harness/support.js';
import { ARTIFACTS_BUCKET, TEST_SECRET, startIngest, type RunningIngest } from './ingest-http-support.js';

interface Ctx { bus: Bus; jobs: JobStore; ingest: RunningIngest; commands: PipelineEvent[]; stop: () => Promise<void> }
type Json = Record<string, any>;

const aws = awsTestConfig(servers().awsEndpointUrl);

async function setUp(ctx: Ctx): Promise<void> {
  ctx.bus = createSqsBus({ region: aws.region, endpoint: aws.endpoint, credentials: aws.credentials, queueNamePrefix: `${uniqueName('ingest')}-`, maxAttempts: 3, waitTimeSeconds: 1 });
  await ctx.bus.ensureTopic(Topic.zipCommands);
  ctx.jobs = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${uniqueName('ingest')}:`, logger: silentLogger() });
  ctx.commands = [];
  const sub = await ctx.bus.consume(Topic.zipCommands, async (event) => { ctx.commands.push(event); });
  ctx.stop = () => sub.stop(2000);
  ctx.ingest = await startIngest({ bus: ctx.bus, jobs: ctx.jobs });
}
async function tearDown(ctx: Ctx): Promise<void> {
  await ctx.ingest.close();
  await ctx.stop();
  await ctx.bus.close();
  await ctx.jobs.close();
}

const zip = suite<Ctx>('POST /v1/zip-jobs');
zip.before(setUp);
zip.after(tearDown);

zip('a zip request makes one queued job and one command carrying its id', async (ctx) => {
  const res = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: 'inbox/team-a/b1/' } });
  assert.is(res.status, 202);
  const job = (await res.json()) as Json;
  assert.is(res.headers.get('location'), `/v1/jobs/${job.id}`);
  assert.is(res.headers.get('retry-after'), '2');
  assert.is(job.status, 'queued');
  assert.is(job.owner, 'team-a');
  assert.is(job.progress.percent, 0);
  assert.equal(job.links, { self: `/v1/jobs/${job.id}`, download: `/v1/jobs/${job.id}/download`, events: `/v1/jobs/${job.id}/events` });
  assert.is((await ctx.jobs.get(job.id))?.status, 'queued');
  await waitFor(() => ctx.commands.some((c) => c.subject === job.id), 'the zip command on SQS', { timeoutMs: 15_000 });
  const command = ctx.commands.find((c) => c.subject === job.id)!;
  assert.equal(command.data, {
    jobId: job.id, owner: 'team-a', source: { bucket: ARTIFACTS_BUCKET, prefix: 'inbox/team-a/b1/' },
    output: { name: 'b1.zip' }, options: { compression: 'auto' },
  });
  assert.is(ctx.commands.filter((c) => c.subject === job.id).length, 1);
});

zip('1,000 parallel requests over 100 Idempotency-Keys make exactly 100 jobs', async (ctx) => {
  const owner = uniqueName('owner');
  const token = await ctx.ingest.token(owner);
  const results = await withDeadline(Promise.all(Array.from({ length: 1000 }, async (_, i) => {
    const key = `key-${i % 100}`;
    const res = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: `inbox/${owner}/p/${i % 100}/` } }, { token, headers: { 'idempotency-key': key } });
    return { key, status: res.status, id: ((await res.json()) as Json).id as string };
  })), 60_000, '1,000 requests');
  assert.ok(results.every((r) => r.status === 202), 'every request answered 202');
  const idsByKey = new Map<string, Set<string>>();
  for (const r of results) idsByKey.set(r.key, (idsByKey.get(r.key) ?? new Set()).add(r.id));
  assert.is(idsByKey.size, 100);
  assert.ok([...idsByKey.values()].every((ids) => ids.size === 1), 'one job per key');
  const listed = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await ctx.jobs.list({ owner, limit: 100, ...(cursor ? { cursor } : {}) });
    page.items.forEach((j) => listed.add(j.id));
    cursor = page.nextCursor;
  } while (cursor);
  assert.is(listed.size, 100);
  await waitFor(() => ctx.commands.filter((c) => listed.has(c.subject!)).length >= 100, '100 commands', { timeoutMs: 30_000 });
  assert.is(ctx.commands.filter((c) => listed.has(c.subject!)).length, 100);
});

zip('same key and body answers the original job; another body is 422', async (ctx) => {
  const headers = { 'idempotency-key': uniqueName('idem') };
  const first = (await (await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: 'inbox/team-a/a/' } }, { headers })).json()) as Json;
  const again = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: 'inbox/team-a/a/' } }, { headers });
  assert.is(again.status, 202);
  assert.is(again.headers.get('idempotent-replayed'), 'true');
  assert.is(((await again.json()) as Json).id, first.id);
  const other = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: 'inbox/team-a/b/' } }, { headers });
  assert.is(other.status, 422);
  assert.is(((await other.json()) as Json).code, 'IDEMPOTENCY_MISMATCH');
});

zip('malformed requests get their documented error and publish nothing', async (ctx) => {
  const owner = uniqueName('bad');
  const token = await ctx.ingest.token(owner);
  const cases: Array<[string, { body?: unknown; raw?: string }, number, string, string?]> = [
    ['bad JSON', { raw: '{"source": ' }, 400, 'INVALID_INPUT'],
    ['unknown field', { body: { source: { prefix: 'a/' }, colour: 'red' } }, 400, 'INVALID_INPUT', 'colour'],
    ['missing prefix', { body: { source: { bucket: ARTIFACTS_BUCKET } } }, 400, 'INVALID_INPUT', 'source.prefix'],
    ['too many keys', { body: { source: { keys: Array.from({ length: 100_001 }, (_, i) => `k${i}`) } } }, 400, 'TOO_MANY_KEYS'],
    ['control characters', { body: { source: { prefix: 'a/\u0007b/' } } }, 400, 'INVALID_INPUT', 'source.prefix'],
    ['leading slash', { body: { source: { keys: ['/etc/passwd'] } } }, 400, 'INVALID_INPUT', 'source.keys[0]'],
    ['key over 1,024 bytes', { body: { source: { keys: ['é'.repeat(600)] } } }, 400, 'INVALID_INPUT', 'source.keys[0]'],
    ['bad name', { body: { source: { prefix: 'a/' }, name: 'x/y' } }, 400, 'INVALID_INPUT', 'name'],
    ['bucket not allowed', { body: { source: { bucket: 'someone-else', prefix: 'a/' } } }, 403, 'BUCKET_NOT_ALLOWED'],
    ['body too large', { raw: JSON.stringify({ source: { keys: Array.from({ length: 20_000 }, () => 'k'.repeat(1000)) } }) }, 413, 'PAYLOAD_TOO_LARGE'],
  ];
  for (const [what, input, status, code, path] of cases) {
    const res = await ctx.ingest.post('/v1/zip-jobs', input.body, { token, ...(input.raw !== undefined ? { raw: input.raw } : {}) });
    assert.is(res.status, status, what);
    assert.match(res.headers.get('content-type') ?? '', 'application/problem+json', what);
    const problem = (await res.json()) as Json;
    assert.is(problem.code, code, what);
    if (path) assert.ok((problem.errors as Json[]).some((e) => e.path === path), `${what}: names ${path} in ${JSON.stringify(problem.errors)}`);
  }
  assert.is((await ctx.jobs.list({ owner })).items.length, 0, 'no job recorded');
  assert.is(ctx.commands.filter((c) => (c.data as Json).owner === owner).length, 0, 'no command published');
});

zip('no token, a forged token and an expired token are 401', async (ctx) => {
  const forged = await issueToken({ secret: 'not-the-secret-but-long-enough-to-sign-with', subject: 'team-a' });
  const expired = await issueToken({ secret: TEST_SECRET, subject: 'team-a', ttlSeconds: 60, now: new Date(Date.now() - 7200_000) });
  for (const token of [null, forged, expired]) {
    const res = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: 'a/' } }, { token });
    assert.is(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
    assert.is(((await res.json()) as Json).code, 'UNAUTHORIZED');
  }
});

zip('a token that never expires, or lives past the 24 h maximum, is 401 saying why; nothing is recorded', async (ctx) => {
  const key = new TextEncoder().encode(TEST_SECRET);
  const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('team-forever').setIssuedAt().sign(key);
  const week = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('team-forever').setIssuedAt().setExpirationTime('7d').sign(key);
  for (const [token, why] of [[noExp, /no exp claim/], [week, /lifetime \(exp - iat\) is 604800 s; at most 86400 s/]] as const) {
    const res = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: 'a/' } }, { token });
    assert.is(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', 'error="invalid_token"');
    const problem = (await res.json()) as Json;
    assert.is(problem.code, 'UNAUTHORIZED');
    assert.match(String(problem.detail), why);
  }
  assert.is((await ctx.jobs.list({ owner: 'team-forever' })).items.length, 0, 'no job recorded');
});

zip.run();

const unpublished = suite<Ctx>('POST /v1/zip-jobs with the bus down');
unpublished.before(async (ctx) => {
  // Nothing listens on port 1: every publish is refused at once.
  ctx.bus = createSqsBus({ region: aws.region, endpoint: 'http://127.0.0.1:1', credentials: aws.credentials, maxAttempts: 1 });
  ctx.jobs = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${uniqueName('ingest')}:`, logger: silentLogger() });
  ctx.ingest = await startIngest({ bus: ctx.bus, jobs: ctx.jobs });
});
unpublished.after(async (ctx) => {
  await ctx.ingest.close();
  await ctx.bus.close();
  await ctx.jobs.close();
});

unpublished('a command that cannot be published fails its job: 503 PUBLISH_FAILED naming the job', async (ctx) => {
  const res = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: 'inbox/team-a/a/' } });
  assert.is(res.status, 503);
  const problem = (await res.json()) as Json;
  assert.is(problem.code, 'PUBLISH_FAILED');
  assert.is(res.headers.get('location'), `/v1/jobs/${problem.jobId}`);
  const job = await ctx.jobs.get(problem.jobId);
  assert.is(job?.status, 'failed');
  assert.is(job?.error?.code, 'PUBLISH_FAILED');
});

unpublished.run();
