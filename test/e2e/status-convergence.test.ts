/**
 * The projector into real Redis: shuffled and duplicated event streams converge to the record
 * the in-order stream makes (every field but `version`, which counts the changes that
 * applied and so depends on order by design).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventType, createEvent, type Job, type PipelineEvent } from '@artifact-pipeline/shared';
import { createProjector } from '../../services/status/src/project-event.js';
import { failedEvent, lifecycle } from '../../services/status/src/test-support.js';
import { uniqueName } from '../harness/support.js';
import { createTestJobStore, deleteRedisPrefix } from './status-support.js';

/** A deterministic shuffle source, so a failure can be replayed (mulberry32). */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two attempts: the first fails (not final), the retry completes. Progress names its attempt. */
function twoAttempts(jobId: string): PipelineEvent[] {
  const base = Date.now() - 100_000;
  const at = (s: number): string => new Date(base + s * 1000).toISOString();
  const source = '/artifact-pipeline/zipper';
  const progressed = (attempt: number, i: number, s: number): PipelineEvent => {
    const event = createEvent(EventType.jobProgressed, { jobId, bytesDone: i * 100, bytesTotal: 500, itemsDone: i, itemsTotal: 5 }, { source, time: at(s) });
    return { ...event, data: { ...(event.data as object), attempt } };
  };
  const events: PipelineEvent[] = [createEvent(EventType.jobStarted, { jobId, type: 'zip', attempt: 1 }, { source, time: at(0) })];
  for (let i = 1; i <= 3; i++) events.push(progressed(1, i, i));
  events.push(failedEvent(jobId, 1, false, at(4)));
  events.push(createEvent(EventType.jobStarted, { jobId, type: 'zip', attempt: 2 }, { source, time: at(10) }));
  for (let i = 1; i <= 5; i++) events.push(progressed(2, i, 10 + i));
  const [completed] = lifecycle(jobId, { steps: 1, start: base + 20_000 }).slice(-1);
  events.push({ ...completed!, data: { ...(completed!.data as object), attempt: 2 } });
  return events;
}

/** The non-final events shuffled with duplicates, the final one after them, then more duplicates. */
function scramble(events: PipelineEvent[], random: () => number): PipelineEvent[] {
  const body = events.slice(0, -1);
  const final = events.at(-1)!;
  const pool = [...body, ...body.filter(() => random() < 0.4)];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const late = [...events.filter(() => random() < 0.3), final];
  return [...pool, final, ...late];
}

const withoutVersion = ({ version: _v, ...rest }: Job): Omit<Job, 'version'> => rest;

interface Ctx { prefix: string }
const converge = suite<Ctx>('projector convergence on Redis');
converge.before((ctx) => {
  ctx.prefix = `${uniqueName('converge')}:`;
});
converge.after(async ({ prefix }) => deleteRedisPrefix(prefix));

for (const [label, make] of [['one attempt', (id: string) => lifecycle(id, { steps: 6 })], ['a retried attempt', twoAttempts]] as const) {
  converge(`${label}: 12 shuffled, duplicated streams give the in-order record`, async ({ prefix }) => {
    const jobs = createTestJobStore(prefix);
    const project = createProjector({ jobs });
    const createdAt = new Date(Date.now() - 200_000).toISOString();
    try {
      const run = async (jobId: string, stream: PipelineEvent[]): Promise<Job> => {
        await jobs.create({ id: jobId, type: 'zip', owner: 'alice', input: {}, createdAt });
        for (const event of stream) await project({ ...event, data: { ...(event.data as object), jobId } });
        return (await jobs.get(jobId))!;
      };
      const events = make('template');
      const expected = withoutVersion({ ...(await run('ordered', events)), id: 'x' });
      assert.is(expected.status, 'done');
      for (let seed = 1; seed <= 12; seed++) {
        const got = await run(`shuffled-${seed}`, scramble(events, seeded(seed)));
        assert.equal(withoutVersion({ ...got, id: 'x' }), expected, `seed ${seed}`);
      }
    } finally {
      await jobs.close();
    }
  });
}

converge.run();
