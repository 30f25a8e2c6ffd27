import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventType, createEvent, type JobStore } from '@artifact-pipeline/shared';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createProjector, type Projector } from './project-event.js';
import { failedEvent, lifecycle } from './test-support.js';

const base = Date.now() - 60_000;
const iso = (s: number): string => new Date(base + s * 1000).toISOString();

interface Ctx { jobs: JobStore; project: Projector }

const createProjectorSuite = suite<Ctx>('createProjector');

createProjectorSuite.before.each(async (ctx) => {
  ctx.jobs = createMemoryJobStore();
  ctx.project = createProjector({ jobs: ctx.jobs });
  await ctx.jobs.create({ id: 'job-1', type: 'zip', owner: 'alice', input: {}, createdAt: new Date(Date.now() - 120_000).toISOString() });
});

createProjectorSuite('is a function', ({ project }) => {
  assert.type(project, 'function');
});

createProjectorSuite('a lifecycle ends done with the output, full progress and the last event time', async ({ jobs, project }) => {
  const events = lifecycle('job-1');
  for (const event of events) await project(event);
  const job = (await jobs.get('job-1'))!;
  assert.is(job.status, 'done');
  assert.equal(job.progress, { bytesDone: 4000, bytesTotal: 4000, itemsDone: 4, itemsTotal: 4 });
  assert.is(job.output?.key, 'zips/job-1/out.zip');
  assert.is(job.startedAt, events[0]!.time);
  assert.is(job.updatedAt, events.at(-1)!.time);
  assert.is(job.version, events.length + 1);
});

createProjectorSuite('a duplicate is not applied twice', async ({ jobs, project }) => {
  const [started] = lifecycle('job-1');
  assert.is((await project(started!)).applied, true);
  assert.is((await project(started!)).applied, false);
  assert.is((await jobs.get('job-1'))!.version, 2);
});

createProjectorSuite('an event that is not a job event is dead-lettered (not retriable)', async ({ project }) => {
  const event = createEvent(EventType.objectCreated, { bucket: 'inputs', key: 'k', size: 1, etag: 'e', sequencer: '01' }, { source: '/x' });
  try {
    await project(event);
    assert.unreachable('should throw');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'INVALID_EVENT');
    assert.is((err as { retriable?: boolean }).retriable, false);
  }
});

createProjectorSuite('an event for an unknown job is skipped', async ({ project }) => {
  const [started] = lifecycle('nobody');
  assert.equal(await project(started!), { applied: false });
});

createProjectorSuite('a completed before any start is handed back until the last delivery', async ({ jobs, project }) => {
  const events = lifecycle('job-1');
  const completed = events.at(-1)!;
  const signal = new AbortController().signal;
  try {
    await project(completed, { attempt: 1, maxAttempts: 3, signal });
    assert.unreachable('should hand back');
  } catch (err) {
    assert.is((err as { retriable?: boolean }).retriable, true);
  }
  assert.is((await jobs.get('job-1'))!.status, 'queued');
  assert.is((await project(completed, { attempt: 3, maxAttempts: 3, signal })).applied, true);
  assert.is((await jobs.get('job-1'))!.status, 'done');
});

createProjectorSuite('a retry after a non-final failure moves the job forward; a final failure ends it', async ({ jobs, project }) => {
  const [started] = lifecycle('job-1');
  await project(started!);
  await project(failedEvent('job-1', 1, false, iso(5)));
  const retried = createEvent(EventType.jobStarted, { jobId: 'job-1', type: 'zip', attempt: 2 }, { source: '/z', time: iso(10) });
  assert.is((await project(retried)).applied, true);
  let job = (await jobs.get('job-1'))!;
  assert.is(job.status, 'processing');
  assert.is(job.attempt, 2);
  assert.is(job.error, undefined);
  await project(failedEvent('job-1', 2, true, iso(20)));
  job = (await jobs.get('job-1'))!;
  assert.is(job.status, 'failed');
  assert.is(job.error?.code, 'SOURCE_EMPTY');
});

createProjectorSuite('onApplied sees each applied change, and a final one again when redelivered', async ({ jobs }) => {
  const seen: Array<[string, boolean]> = [];
  const project = createProjector({ jobs, onApplied: (event, job, applied) => { seen.push([job.status, applied]); } });
  const events = lifecycle('job-1', { steps: 1 });
  for (const event of events) await project(event);
  await project(events.at(-1)!);
  await project(events[0]!);
  assert.equal(seen, [['processing', true], ['processing', true], ['done', true], ['done', false]]);
});

createProjectorSuite.run();
