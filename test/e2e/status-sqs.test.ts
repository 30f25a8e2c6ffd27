/**
 * Status over SQS with real Redis and moto S3: a lifecycle projected and served, SSE read by
 * a real HTTP client, the download redirect fetched, owner isolation, retention (410).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lifecycle, readSse } from '../../services/status/src/test-support.js';
import { waitFor, withDeadline } from '../harness/support.js';
import { createStatusWorld, putArtifact, type StatusWorld } from './status-support.js';

interface Ctx { world: StatusWorld; alice: string; bob: string; admin: string }

const get = (world: StatusWorld, path: string, token: string, headers: Record<string, string> = {}) =>
  fetch(`${world.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers }, redirect: 'manual' });

const lifecycleSuite = suite<Ctx>('status over SQS');
lifecycleSuite.before(async (ctx) => {
  ctx.world = await createStatusWorld('sqs', { heartbeatMs: 200 });
  ctx.alice = await ctx.world.token('alice');
  ctx.bob = await ctx.world.token('bob');
  ctx.admin = await ctx.world.token('root', true);
});
lifecycleSuite.after(async ({ world }) => world?.close());

lifecycleSuite('a lifecycle is projected, streamed in order over SSE, and the download fetches the object', async (ctx) => {
  const { world } = ctx;
  const jobId = `${world.name}-job1`;
  const key = `zips/2026/01/01/${jobId}/out.zip`;
  await world.jobs.create({ id: jobId, type: 'zip', owner: 'alice', input: { prefix: 'in/' }, createdAt: new Date(Date.now() - 120_000).toISOString() });
  await putArtifact(world, key, 'PK-the-archive-bytes');

  const early = await get(world, `/v1/jobs/${jobId}/download`, ctx.alice);
  assert.is(early.status, 409);
  assert.is(((await early.json()) as { jobStatus: string }).jobStatus, 'queued');
  assert.is(early.headers.get('retry-after'), '2');

  const stream = await get(world, `/v1/jobs/${jobId}/events`, ctx.alice);
  assert.is(stream.status, 200);
  const reading = readSse(stream);
  await world.publish(lifecycle(jobId, { bucket: world.bucket, key }));
  const { messages, comments } = await withDeadline(reading, 30_000, 'the SSE stream to end at done');

  const versions = messages.map((m) => Number(m.id));
  assert.equal(versions, versions.map((_, i) => i + 1), 'every change once, in order, from version 1');
  const last = JSON.parse(messages.at(-1)!.data) as { status: string; version: number };
  assert.is(last.status, 'done');
  assert.ok(comments >= 1);

  const res = await get(world, `/v1/jobs/${jobId}`, ctx.alice);
  assert.is(res.status, 200);
  assert.is(res.headers.get('retry-after'), null);
  const job = (await res.json()) as { status: string; version: number; progress: { percent: number }; output: { key: string } };
  assert.is(job.status, 'done');
  assert.is(job.version, last.version);
  assert.is(job.progress.percent, 100);
  assert.is(job.output.key, key);

  const download = await get(world, `/v1/jobs/${jobId}/download`, ctx.alice);
  assert.is(download.status, 302);
  const location = download.headers.get('location')!;
  assert.match(location, /X-Amz-Signature=/);
  const object = await fetch(location);
  assert.is(object.status, 200);
  assert.is(await object.text(), 'PK-the-archive-bytes');

  const resumed = await readSse(await get(world, `/v1/jobs/${jobId}/events`, ctx.alice, { 'last-event-id': String(last.version - 1) }));
  assert.equal(resumed.messages.map((m) => Number(m.id)), [last.version], 'resume sends only what is newer');
});

lifecycleSuite('another owner gets 404 everywhere; admin sees and filters every owner', async (ctx) => {
  const { world } = ctx;
  const jobId = `${world.name}-job1`;
  for (const path of [`/v1/jobs/${jobId}`, `/v1/jobs/${jobId}/download`, `/v1/jobs/${jobId}/events`]) {
    const res = await get(world, path, ctx.bob);
    assert.is(res.status, 404, path);
    assert.is(((await res.json()) as { code: string }).code, 'NOT_FOUND');
  }
  const bobs = (await (await get(world, '/v1/jobs', ctx.bob)).json()) as { items: unknown[] };
  assert.equal(bobs.items, []);
  assert.is((await get(world, `/v1/jobs/${jobId}`, ctx.admin)).status, 200);
  const filtered = (await (await get(world, '/v1/jobs?owner=alice', ctx.admin)).json()) as { items: { id: string }[] };
  assert.ok(filtered.items.some((j) => j.id === jobId));
  assert.is((await fetch(`${world.url}/v1/jobs/${jobId}`)).status, 401);
});

lifecycleSuite('once the artifact is gone the download is 410', async (ctx) => {
  const { world } = ctx;
  const jobId = `${world.name}-job1`;
  const job = (await world.jobs.get(jobId))!;
  await world.objects.delete(job.output!.bucket, job.output!.key);
  const res = await get(world, `/v1/jobs/${jobId}/download`, ctx.alice);
  assert.is(res.status, 410);
  assert.is(((await res.json()) as { code: string }).code, 'ARTIFACT_GONE');
});

lifecycleSuite('a malformed job event is dead-lettered with the reason; the projector keeps going', async (ctx) => {
  const { world } = ctx;
  const [started] = lifecycle(`${world.name}-ghost`);
  const bad = { ...started!, type: 'io.artifactpipeline.object.created.v1', data: { bucket: 'inputs', key: 'k', size: 1, etag: 'e', sequencer: '01' } };
  await world.bus!.publish('artifacts.events', bad as never);
  const letters = await waitFor(async () => {
    const got = await world.bus!.drainDeadLetters('artifacts.events', 10);
    return got.length > 0 ? got : undefined;
  }, 'the dead letter', { timeoutMs: 20_000, intervalMs: 300 });
  assert.is(letters[0]!.reason.code, 'INVALID_EVENT');
  assert.match(letters[0]!.reason.message, /not a job lifecycle event/, letters[0]!.reason.message);
});

lifecycleSuite.run();
