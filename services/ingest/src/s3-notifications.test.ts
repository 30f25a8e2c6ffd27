import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_INGEST_RULES, ErrorCode, Topic, isPipelineError, silentLogger, type Bus, type JobStore, type PipelineEvent } from '@artifact-pipeline/shared';
import { createMemoryBus } from '@artifact-pipeline/shared/adapters/memory-bus';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createMetrics, type Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { waitFor } from '../../../test/harness/support.js';
import { handleS3Notification, type S3NotificationDeps } from './s3-notifications.js';
import { createRuleMatcher } from './rules-match.js';

interface Ctx { bus: Bus; jobs: JobStore; metrics: Metrics; deps: S3NotificationDeps; commands: PipelineEvent[] }

const record = (key: string, sequencer = '0055AED6DCD90281E5') => ({
  eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put',
  s3: { bucket: { name: 'uploads' }, object: { key, size: 0, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer } },
});
const first = { attempt: 1, messageId: 'm-1' };

async function count(metrics: Metrics, outcome: string): Promise<number> {
  const metric = await metrics.s3NotificationsTotal.get();
  return metric.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

const Handle = suite<Ctx>('handleS3Notification');

Handle.before.each(async (ctx) => {
  ctx.bus = createMemoryBus();
  ctx.jobs = createMemoryJobStore();
  ctx.metrics = createMetrics({ service: 'ingest-test', defaultMetrics: false });
  ctx.commands = [];
  ctx.deps = {
    accept: { bus: ctx.bus, jobs: ctx.jobs, logger: silentLogger(), metrics: ctx.metrics, publishRetry: { attempts: 1 } },
    matcher: createRuleMatcher(DEFAULT_INGEST_RULES),
    metrics: ctx.metrics,
  };
  await ctx.bus.consume(Topic.zipCommands, async (event) => void ctx.commands.push(event));
});
Handle.after.each(async (ctx) => {
  await ctx.bus.close();
  await ctx.jobs.close();
});

Handle('a marker key makes one queued zip job for the owner, the marker left out', async (ctx) => {
  const [result] = await handleS3Notification(ctx.deps, { Records: [record('inbox%2Fteam-a%2Fbatch+1%2F_READY')] }, first);
  assert.is(result?.outcome, 'matched');
  const job = await ctx.jobs.get(result!.job!.id);
  assert.is(job?.status, 'queued');
  assert.is(job?.owner, 'team-a');
  await waitFor(() => ctx.commands.length === 1, 'the zip command', { timeoutMs: 2_000 });
  assert.equal((ctx.commands[0]!.data as { source: unknown }).source, {
    bucket: 'uploads', prefix: 'inbox/team-a/batch 1/', marker: 'inbox/team-a/batch 1/_READY',
  });
  assert.is(ctx.commands[0]!.idempotencykey, 's3:uploads:inbox/team-a/batch 1/_READY:0055AED6DCD90281E5');
  assert.is(await count(ctx.metrics, 'matched'), 1);
});

Handle('a second copy is a duplicate; a redelivery returns the same job and publishes nothing', async (ctx) => {
  const body = { Records: [record('inbox/team-a/b1/_READY')] };
  const [one] = await handleS3Notification(ctx.deps, body, first);
  const [two] = await handleS3Notification(ctx.deps, body, { attempt: 1, messageId: 'm-2' });
  const [three] = await handleS3Notification(ctx.deps, body, { attempt: 2, messageId: 'm-1' });
  assert.is(two?.outcome, 'duplicate');
  assert.is(three?.outcome, 'duplicate');
  assert.is(three?.job?.id, one?.job?.id);
  assert.is((await ctx.jobs.list({ owner: 'team-a' })).items.length, 1);
  await waitFor(() => ctx.commands.length === 1, 'one command', { timeoutMs: 2_000 });
  assert.is(await count(ctx.metrics, 'duplicate'), 2);
});

Handle('a redelivery after a failure that left only the marker still makes the job', async (ctx) => {
  await ctx.jobs.markSeen('uploads:inbox/team-a/b2/_READY:0055AED6DCD90281E5', 60);
  const [result] = await handleS3Notification(ctx.deps, { Records: [record('inbox/team-a/b2/_READY')] }, { attempt: 2, messageId: 'm-3' });
  assert.is(result?.outcome, 'matched');
});

Handle('non-matching keys are counted as unmatched; the test event as test', async (ctx) => {
  const outcomes = await handleS3Notification(ctx.deps, { Records: [record('inbox/team-a/b1/data.csv'), record('elsewhere.txt')] }, first);
  assert.equal(outcomes.map((o) => o.outcome), ['unmatched', 'unmatched']);
  assert.equal(await handleS3Notification(ctx.deps, { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'uploads' }, first), []);
  assert.is(await count(ctx.metrics, 'unmatched'), 2);
  assert.is(await count(ctx.metrics, 'test'), 1);
  assert.is((await ctx.jobs.list({})).items.length, 0);
});

Handle('a body that is no notification is refused with INVALID_EVENT', async (ctx) => {
  try {
    await handleS3Notification(ctx.deps, { nothing: true }, first);
    assert.unreachable('should throw');
  } catch (err) {
    assert.ok(isPipelineError(err) && err.code === ErrorCode.INVALID_EVENT && !err.retriable);
  }
});

Handle.run();
