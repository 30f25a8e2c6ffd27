/**
 * The official Python CloudEvents SDK (cloudevents 1.12, both its current
 * `cloudevents.http` / `cloudevents.conversion` API and its legacy `cloudevents.sdk` API)
 * posting to ingest's POST /v1/events in binary and structured mode, as docs/events.md
 * says another system may: each is accepted (202) and its job is in the job store, with
 * the command on the bus. The SDK's binary mode of the current API sends no Content-Type.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Topic, silentLogger, type Bus, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createSqsBus } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { awsTestConfig, servers, uniqueName, waitFor } from '../harness/support.js';
import { startIngest, type RunningIngest } from '../e2e/ingest-http-support.js';

const PYTHON = process.env.TEST_PYTHON ?? fileURLToPath(new URL('../../.cache/servers/moto-venv/bin/python', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./post_event_sdk.py', import.meta.url));
const run = promisify(execFile);

interface Ctx { bus: Bus; jobs: JobStore; ingest: RunningIngest; commands: PipelineEvent[]; stop: () => Promise<void>; token: string }
interface Sent { status: number; headers: Record<string, string>; body: string }

async function post(ctx: Ctx, api: 'current' | 'legacy', mode: 'binary' | 'structured', data: unknown): Promise<Sent> {
  const spec = JSON.stringify({ type: 'io.artifactpipeline.zip.requested.v1', source: 'urn:other-team:python', data });
  const { stdout } = await run(PYTHON, [SCRIPT, `${ctx.ingest.base}/v1/events`, ctx.token, api, mode, spec], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Sent;
}

const sdk = suite<Ctx>('POST /v1/events from the Python CloudEvents SDK');
sdk.after(async (ctx) => {
  await ctx.ingest?.close();
  await ctx.stop?.();
  await ctx.bus?.close();
  await ctx.jobs?.close();
});

sdk('ingest starts against Redis and SQS', async (ctx) => {
  const aws = awsTestConfig(servers().awsEndpointUrl);
  ctx.bus = createSqsBus({ region: aws.region, endpoint: aws.endpoint, credentials: aws.credentials, queueNamePrefix: `${uniqueName('ce-http')}-`, maxAttempts: 3, waitTimeSeconds: 1 });
  await ctx.bus.ensureTopic(Topic.zipCommands);
  ctx.jobs = createRedisJobStore({ url: servers().redisUrl, keyPrefix: `${uniqueName('ce-http')}:`, logger: silentLogger() });
  ctx.commands = [];
  const sub = await ctx.bus.consume(Topic.zipCommands, async (event) => { ctx.commands.push(event); });
  ctx.stop = () => sub.stop(2_000);
  ctx.ingest = await startIngest({ bus: ctx.bus, jobs: ctx.jobs });
  ctx.token = await ctx.ingest.token('team-a');
});

const cases = [
  ['current', 'binary'],
  ['current', 'structured'],
  ['legacy', 'binary'],
  ['legacy', 'structured'],
] as const;

for (const [api, mode] of cases) {
  sdk(`${api} API, ${mode} mode: 202 and the job is queued with its command`, async (ctx) => {
    const batch = `${api}-${mode}`;
    const sent = await post(ctx, api, mode, {
      owner: 'team-a', source: { bucket: 'artifacts-e2e', prefix: `inbox/team-a/${batch}/` },
      output: { name: `${batch}.zip` }, options: { compression: 'auto' },
    });
    assert.is(sent.status, 202, `${api} ${mode} (sent ${JSON.stringify(sent.headers)}): ${sent.body}`);
    const job = JSON.parse(sent.body) as { id: string; owner: string; status: string };
    assert.is(job.owner, 'team-a');
    const stored = await ctx.jobs.get(job.id);
    assert.is(stored?.status, 'queued');
    await waitFor(() => ctx.commands.some((c) => c.subject === job.id), `the zip command of ${batch}`, { timeoutMs: 15_000 });
    const command = ctx.commands.find((c) => c.subject === job.id)!;
    assert.equal((command.data as { source: unknown }).source, { bucket: 'artifacts-e2e', prefix: `inbox/team-a/${batch}/` });
  });
}

sdk('the current API\'s binary mode is the one that sends no Content-Type', async (ctx) => {
  const sent = await post(ctx, 'current', 'binary', { owner: 'team-a' });
  assert.not.ok(Object.keys(sent.headers).some((h) => h.toLowerCase() === 'content-type'), JSON.stringify(sent.headers));
  // Read as JSON: the answer names the missing fields, not the media type.
  assert.is(sent.status, 400, sent.body);
  assert.match(sent.body, /INVALID_EVENT/);
  assert.match(sent.body, /data\.source/);
});

sdk.run();
