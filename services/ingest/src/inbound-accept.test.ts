import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_INGEST_RULES, EventType, Topic, isPipelineError, silentLogger, toSqsBody, type Bus, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createMemoryBus } from '@artifact-pipeline/shared/adapters/memory-bus';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { waitFor } from '../../../test/harness/support.js';
import { acceptInboundEvent, type InboundDeps } from './inbound-accept.js';
import { inboundConsumer } from './inbound-consumer.js';
import { createRuleMatcher } from './rules-match.js';

interface Ctx { bus: Bus; jobs: JobStore; deps: InboundDeps; commands: PipelineEvent[] }

const event = (type: string, data: unknown, extra: Record<string, unknown> = {}) =>
  ({ specversion: '1.0', id: 'e-1', source: '/other', type, time: '2024-01-01T00:00:00Z', datacontenttype: 'application/json', data, ...extra }) as PipelineEvent;
const zip = (extra: Record<string, unknown> = {}) => ({
  owner: 'team-a', source: { bucket: 'uploads', prefix: 'x/' }, output: { name: 'x.zip' }, options: { compression: 'auto' }, ...extra,
});

function code(err: unknown): string {
  return isPipelineError(err) ? err.code : String(err);
}

const Accept = suite<Ctx>('acceptInboundEvent');

async function setUp(ctx: Ctx): Promise<void> {
  ctx.bus = createMemoryBus();
  ctx.jobs = createMemoryJobStore();
  ctx.commands = [];
  const accept = { bus: ctx.bus, jobs: ctx.jobs, logger: silentLogger(), metrics: createMetrics({ service: 't', defaultMetrics: false }), publishRetry: { attempts: 1 } };
  ctx.deps = { accept, matcher: createRuleMatcher(DEFAULT_INGEST_RULES), buckets: { defaultBucket: 'uploads', allowed: [] } };
  await ctx.bus.consume(Topic.zipCommands, async (e) => void ctx.commands.push(e));
}

Accept.before.each(setUp);
Accept.after.each(async (ctx) => {
  await ctx.bus.close();
  await ctx.jobs.close();
});

Accept('a command without jobId gets one; the same source + id names the same job', async (ctx) => {
  const first = await acceptInboundEvent(ctx.deps, event(EventType.zipRequested, zip()));
  const again = await acceptInboundEvent(ctx.deps, event(EventType.zipRequested, zip()));
  assert.ok(first.created);
  assert.not.ok(again.created);
  assert.is(again.job?.id, first.job?.id);
  assert.is(first.job?.owner, 'team-a');
});

Accept('object.created goes through the rules, owner from the pattern', async (ctx) => {
  const data = { bucket: 'uploads', key: 'inbox/team-c/b9/_READY', size: 0, etag: 'e', sequencer: '01' };
  const result = await acceptInboundEvent(ctx.deps, event(EventType.objectCreated, data));
  assert.is(result.job?.owner, 'team-c');
  const none = await acceptInboundEvent(ctx.deps, event(EventType.objectCreated, { ...data, key: 'other/file' }));
  assert.equal(none, { created: false });
});

Accept('refuses other types, buckets not allowed, a taken jobId, and owners authorize refuses', async (ctx) => {
  const refused = async (e: PipelineEvent, authorize?: (owner: string) => void) =>
    code(await acceptInboundEvent({ ...ctx.deps, ...(authorize ? { authorize } : {}) }, e).then(() => 'accepted', (err: unknown) => err));
  assert.is(await refused(event(EventType.jobStarted, { jobId: 'j', type: 'zip', attempt: 1 })), 'INVALID_EVENT');
  assert.is(await refused(event(EventType.zipRequested, zip({ source: { bucket: 'secret', prefix: '' } }))), 'BUCKET_NOT_ALLOWED');
  await acceptInboundEvent(ctx.deps, event(EventType.zipRequested, zip({ jobId: 'taken-1' }), { id: 'e-2' }));
  assert.is(await refused(event(EventType.zipRequested, zip({ jobId: 'taken-1', owner: 'team-b' }), { id: 'e-3' })), 'INVALID_EVENT');
  assert.is(await refused(event(EventType.zipRequested, zip(), { id: 'e-4' }), () => { throw Object.assign(new Error('no'), { name: 'PipelineError', code: 'ACCESS_DENIED', retriable: false }); }), 'ACCESS_DENIED');
});

Accept.run();

const Consumer = suite<Ctx>('inboundConsumer');

Consumer.before.each(setUp);

Consumer('on the memory bus, a command without jobId is accepted, not dead-lettered', async (ctx) => {
  const bus = ctx.bus as Bus & { publishRaw?: (topic: string, raw: string) => Promise<void> };
  const sub = await inboundConsumer({ bus, matcher: ctx.deps.matcher, buckets: ctx.deps.buckets })(ctx.deps.accept);
  // publish() would validate a full command; a draft arrives as another system sends it.
  assert.type(bus.publishRaw, 'function', 'the memory bus can carry a raw body');
  await bus.publishRaw!(Topic.inbound, toSqsBody(event(EventType.zipRequested, zip())));
  await waitFor(() => ctx.commands.length === 1, 'the command', { timeoutMs: 2_000 });
  assert.equal(await ctx.bus.drainDeadLetters(Topic.inbound), []);
  await sub.stop(100);
  await ctx.bus.close();
  await ctx.jobs.close();
});

Consumer.run();
