import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLocalObjectStore, type LocalObjectStore } from './adapters/local-object-store.js';
import { createMemoryBus } from './adapters/memory-bus.js';
import {
  MESSAGE_HEADROOM_BYTES,
  needsClaimCheck,
  messageBytes,
  requestKey,
  resolveStoredRequest,
  storeRequest,
  storedRequestCleanup,
  withRequestRef,
  type RequestRef,
} from './claim-check.js';
import { isPipelineError } from './errors.js';
import { createEvent } from './events/create-event.js';
import { EventType, type PipelineEvent } from './events/envelope.js';
import { eventRegistry } from './events/event-registry.js';
import { silentLogger } from './logger.js';
import { Topic } from './ports/bus.js';

const BUCKET = 'artifacts';
const JOB = 'job-1';
const source = { source: '/test' };
const zipData = (keys: string[], owner = 'alice') => ({
  jobId: JOB, owner, source: { bucket: 'uploads', keys }, output: { name: 'x.zip' }, options: { compression: 'auto' as const },
});

interface Ctx {
  dir: string;
  objects: LocalObjectStore;
}

async function setUp(ctx: Ctx): Promise<void> {
  ctx.dir = await mkdtemp(join(tmpdir(), 'claim-check-'));
  ctx.objects = createLocalObjectStore({ root: ctx.dir, publicBaseUrl: 'http://127.0.0.1:1', signingSecret: 's'.repeat(32) });
  await ctx.objects.ensureBucket(BUCKET);
}

async function tearDown(ctx: Ctx): Promise<void> {
  await rm(ctx.dir, { recursive: true, force: true });
}

/** The command as ingest sends it: request stored, keys emptied. */
async function sent(ctx: Ctx, data = zipData(['a.txt', 'b.txt'])): Promise<{ command: PipelineEvent; ref: RequestRef }> {
  const ref = await storeRequest(ctx.objects, BUCKET, JOB, data);
  return { command: createEvent(EventType.zipRequested, withRequestRef(EventType.zipRequested, data, ref), source), ref };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isPipelineError(err) && err.code === 'INVALID_EVENT' && !err.retriable) return err.message;
    throw err;
  }
  throw new Error('expected INVALID_EVENT, the request was accepted');
}

const threshold = suite('needsClaimCheck');

threshold('is a function', () => assert.type(needsClaimCheck, 'function'));

threshold('only commands within the headroom of the limit', () => {
  const event = createEvent(EventType.zipRequested, zipData(['k'.repeat(1000)]), source);
  const bytes = messageBytes(event);
  assert.is(bytes, Buffer.byteLength(JSON.stringify(event)));
  assert.not.ok(needsClaimCheck(event, bytes + MESSAGE_HEADROOM_BYTES));
  assert.ok(needsClaimCheck(event, bytes + MESSAGE_HEADROOM_BYTES - 1));
});

threshold.run();

const schema = suite('the command schema with requestRef');

schema('an empty key list is valid only with requestRef', () => {
  const spec = eventRegistry[EventType.zipRequested];
  assert.equal(spec.validate(zipData([])), ['data.source.keys: must hold at least 1 key']);
  const ref = { bucket: BUCKET, key: requestKey(JOB), bytes: 10, sha256: 'a'.repeat(64) };
  assert.equal(spec.validate({ ...zipData([]), requestRef: ref }), []);
  assert.ok(spec.validate({ ...zipData([]), requestRef: { ...ref, sha256: 'nope' } }).length > 0, 'a malformed reference is refused');
});

schema.run();

const resolve = suite<Ctx>('resolveStoredRequest', {} as Ctx);
resolve.before.each(setUp);
resolve.after.each(tearDown);

resolve('is a function', () => assert.type(resolveStoredRequest, 'function'));

resolve('a command without requestRef is returned as it is', async (ctx) => {
  const command = createEvent(EventType.zipRequested, zipData(['a']), source);
  assert.is(await resolveStoredRequest(command, { objects: ctx.objects, artifactsBucket: BUCKET }), command);
});

resolve('puts the stored request back: the keys the request named', async (ctx) => {
  const data = zipData(Array.from({ length: 500 }, (_, i) => `inbox/alice/${i}.txt`));
  const { command } = await sent(ctx, data);
  assert.equal((command.data as { source: { keys: string[] } }).source.keys, [], 'the command itself carries no keys');
  const full = await resolveStoredRequest(command, { objects: ctx.objects, artifactsBucket: BUCKET });
  assert.equal(full.data, data);
  assert.is(full.id, command.id);
});

resolve('refuses a stored request whose bytes changed (same size)', async (ctx) => {
  const { command, ref } = await sent(ctx);
  const text = JSON.stringify(zipData(['a.txt', 'c.txt']));
  assert.is(Buffer.byteLength(text), ref.bytes);
  await ctx.objects.put(BUCKET, ref.key, Readable.from([Buffer.from(text)]));
  assert.match(await refusal(resolveStoredRequest(command, { objects: ctx.objects, artifactsBucket: BUCKET })), /sha256/);
});

resolve('refuses another size, a missing object, another owner', async (ctx) => {
  const { command, ref } = await sent(ctx);
  await ctx.objects.put(BUCKET, ref.key, Readable.from([Buffer.from(JSON.stringify(zipData(['a.txt', 'b.txt', 'c.txt'])))]));
  assert.match(await refusal(resolveStoredRequest(command, { objects: ctx.objects, artifactsBucket: BUCKET })), /bytes named/);

  const bob = await sent(ctx, zipData(['a.txt'], 'bob'));
  const forged = { ...bob.command, data: { ...(bob.command.data as object), owner: 'alice' } };
  assert.match(await refusal(resolveStoredRequest(forged, { objects: ctx.objects, artifactsBucket: BUCKET })), /another job or owner/);

  await ctx.objects.delete(BUCKET, ref.key);
  assert.match(await refusal(resolveStoredRequest(command, { objects: ctx.objects, artifactsBucket: BUCKET })), /is gone/);
});

resolve("reads only the job's own key in ARTIFACTS_BUCKET", async (ctx) => {
  const { command, ref } = await sent(ctx);
  const elsewhere = (r: Partial<RequestRef>) => ({ ...command, data: { ...(command.data as object), requestRef: { ...ref, ...r } } });
  assert.match(await refusal(resolveStoredRequest(elsewhere({ bucket: 'uploads' }), { objects: ctx.objects, artifactsBucket: BUCKET })), /not this job's/);
  assert.match(await refusal(resolveStoredRequest(elsewhere({ key: 'requests/other.json' }), { objects: ctx.objects, artifactsBucket: BUCKET })), /not this job's/);
});

resolve('a report: rows emptied, columns too when they alone are large, both put back', async (ctx) => {
  const columns = Array.from({ length: 1_024 }, (_, i) => ({ key: `k${i}`, header: 'h'.repeat(200) }));
  const data = { jobId: JOB, owner: 'alice', format: 'xlsx' as const, title: '', columns, rows: [{ k0: 1 }], output: { name: 'r.xlsx' } };
  const ref = await storeRequest(ctx.objects, BUCKET, JOB, data);
  const sentData = withRequestRef(EventType.reportRequested, data, ref);
  assert.equal([sentData.rows, sentData.columns], [[], []]);
  const command = createEvent(EventType.reportRequested, sentData, source);
  assert.ok(messageBytes(command) < 4_096, 'the command itself is small');
  assert.equal((await resolveStoredRequest(command, { objects: ctx.objects, artifactsBucket: BUCKET })).data, data);
  const few = withRequestRef(EventType.reportRequested, { ...data, columns: columns.slice(0, 3) }, ref);
  assert.is(few.columns.length, 3, 'small columns stay in the command');
});

resolve.run();

const cleanup = suite<Ctx>('storedRequestCleanup', {} as Ctx);
cleanup.before.each(setUp);
cleanup.after.each(tearDown);

cleanup('is a function', () => assert.type(storedRequestCleanup, 'function'));

cleanup('a final event deletes the stored request; a retriable failure keeps it', async (ctx) => {
  const bus = createMemoryBus();
  try {
    await bus.ensureTopic(Topic.events);
    const requests = storedRequestCleanup(bus, ctx.objects, BUCKET, silentLogger());
    const { command, ref } = await sent(ctx);
    requests.track(command);
    const failed = (final: boolean) =>
      createEvent(EventType.jobFailed, { jobId: JOB, error: { code: 'UNAVAILABLE', message: 'x', retriable: !final }, attempt: 1, final }, source);
    await requests.bus.publish(Topic.events, failed(false));
    assert.ok(await ctx.objects.head(BUCKET, ref.key), 'kept for the next attempt');
    await requests.bus.publish(Topic.events, failed(true));
    assert.is(await ctx.objects.head(BUCKET, ref.key), undefined, 'deleted once the job failed for good');

    const again = await sent(ctx);
    requests.track(again.command);
    const completed = createEvent(
      EventType.jobCompleted,
      { jobId: JOB, output: { bucket: BUCKET, key: 'zips/x.zip', size: 1, contentType: 'application/zip' }, downloadUrl: 'http://x.test/a', expiresAt: '2026-12-05T00:00:00Z' },
      source,
    );
    await requests.bus.publish(Topic.events, completed);
    assert.is(await ctx.objects.head(BUCKET, again.ref.key), undefined, 'deleted once the job completed');
  } finally {
    await bus.close();
  }
});

cleanup('deletes nothing for a job that had no stored request', async (ctx) => {
  const bus = createMemoryBus();
  try {
    await bus.ensureTopic(Topic.events);
    const requests = storedRequestCleanup(bus, ctx.objects, BUCKET, silentLogger());
    await ctx.objects.put(BUCKET, requestKey(JOB), Readable.from([Buffer.from('{}')]));
    requests.track(createEvent(EventType.zipRequested, zipData(['a']), source));
    await requests.bus.publish(Topic.events, createEvent(EventType.jobFailed, { jobId: JOB, error: { code: 'X', message: 'x', retriable: false }, attempt: 1, final: true }, source));
    assert.ok(await ctx.objects.head(BUCKET, requestKey(JOB)));
  } finally {
    await bus.close();
  }
});

cleanup.run();
