/**
 * POST /v1/auth/token with failed logins counted in real Redis, and a zip request through
 * the Kafka bus (the command read back with the Kafka adapter).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Topic, silentLogger, type Bus, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createKafkaBus } from '@artifact-pipeline/shared/adapters/kafka-bus';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { createRedisLoginAttempts } from '@artifact-pipeline/shared/adapters/redis-login-attempts';
import { createMemoryBus } from '@artifact-pipeline/shared/adapters/memory-bus';
import { createUserDirectory, hashPassword, parseScryptHash } from '@artifact-pipeline/shared/http/auth-users';
import { servers, uniqueName, waitFor } from '../harness/support.js';
import { startIngest, type RunningIngest } from './ingest-http-support.js';

type Json = Record<string, any>;

interface TokenCtx { ingest: RunningIngest; attempts: ReturnType<typeof createRedisLoginAttempts>; jobs: JobStore; user: string }
const token = suite<TokenCtx>('POST /v1/auth/token');

token.before(async (ctx) => {
  ctx.user = uniqueName('ada');
  const hash = parseScryptHash(await hashPassword('correct horse', { N: 1024, r: 8, p: 1 }));
  ctx.attempts = createRedisLoginAttempts({ url: servers().redisUrl, logger: silentLogger(), keyPrefix: `${uniqueName('login')}:`, maxFailures: 5, windowSeconds: 60 });
  ctx.jobs = createMemoryJobStore();
  ctx.ingest = await startIngest({ bus: createMemoryBus(), jobs: ctx.jobs, users: createUserDirectory([{ username: ctx.user, scopes: ['admin'], hash }]), loginAttempts: ctx.attempts });
});
token.after(async (ctx) => {
  await ctx.ingest.close();
  await ctx.attempts.close();
});

token('issues a token that works on the API', async (ctx) => {
  const res = await ctx.ingest.post('/v1/auth/token', { username: ctx.user, password: 'correct horse' }, { token: null });
  assert.is(res.status, 200);
  assert.is(res.headers.get('cache-control'), 'no-store');
  const body = (await res.json()) as Json;
  assert.is(body.token_type, 'Bearer');
  assert.is(body.expires_in, 3600);
  const job = await ctx.ingest.post('/v1/zip-jobs', { source: { prefix: 'x/' } }, { token: body.access_token });
  assert.is(job.status, 202);
  assert.is(((await job.json()) as Json).owner, ctx.user);
});

token('a wrong password is 401; the sixth try within a minute is 429 with Retry-After, even with the right password', async (ctx) => {
  for (let i = 0; i < 5; i++) {
    const res = await ctx.ingest.post('/v1/auth/token', { username: ctx.user, password: `guess ${i}` }, { token: null });
    assert.is(res.status, 401);
  }
  const blocked = await ctx.ingest.post('/v1/auth/token', { username: ctx.user, password: 'correct horse' }, { token: null });
  assert.is(blocked.status, 429);
  assert.is(((await blocked.json()) as Json).code, 'TOO_MANY_ATTEMPTS');
  const wait = Number(blocked.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 60, `Retry-After ${wait}`);
});

token('an unknown field or a missing password is 400', async (ctx) => {
  const res = await ctx.ingest.post('/v1/auth/token', { username: 'x' }, { token: null });
  assert.is(res.status, 400);
  assert.ok(((await res.json()) as Json).errors.some((e: Json) => e.path === 'password'));
});

token.run();

interface KafkaCtx { bus: Bus; jobs: JobStore; ingest: RunningIngest; commands: PipelineEvent[]; stop: () => Promise<void> }
const kafka = suite<KafkaCtx>('POST /v1/reports over Kafka');

kafka.before(async (ctx) => {
  const prefix = `${uniqueName('ingest')}.`;
  ctx.bus = createKafkaBus({ brokers: servers().kafkaBrokers, clientId: 'ingest-e2e', topicPrefix: prefix, groupPrefix: prefix, maxAttempts: 3, partitions: 1, logger: silentLogger() });
  await ctx.bus.ensureTopic(Topic.reportCommands);
  ctx.jobs = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${uniqueName('ingest')}:`, logger: silentLogger() });
  ctx.commands = [];
  const sub = await ctx.bus.consume(Topic.reportCommands, async (event) => { ctx.commands.push(event); }, { group: 'reader' });
  ctx.stop = () => sub.stop(5000);
  ctx.ingest = await startIngest({ bus: ctx.bus, jobs: ctx.jobs });
});
kafka.after(async (ctx) => {
  await ctx.ingest.close();
  await ctx.stop();
  await ctx.bus.close();
  await ctx.jobs.close();
});

kafka('a report request makes one queued job and one report command on Kafka', async (ctx) => {
  const res = await ctx.ingest.post('/v1/reports', { format: 'xlsx', title: 'Q1', rows: [{ a: 1 }], name: 'q1' });
  assert.is(res.status, 202);
  const job = (await res.json()) as Json;
  assert.is((await ctx.jobs.get(job.id))?.status, 'queued');
  await waitFor(() => ctx.commands.some((c) => c.subject === job.id), 'the report command on Kafka', { timeoutMs: 30_000 });
  const command = ctx.commands.find((c) => c.subject === job.id)!;
  assert.is(command.type, 'io.artifactpipeline.report.requested.v1');
  assert.equal((command.data as Json).output, { name: 'q1.xlsx' });
  assert.equal((command.data as Json).rows, [{ a: 1 }]);
  assert.is(ctx.commands.filter((c) => c.subject === job.id).length, 1);
});

kafka.run();
