import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PipelineEvent } from '../events/envelope.js';
import { createEvent } from '../events/create-event.js';
import { EventType } from '../events/envelope.js';
import { createMemoryBus, type MemoryBus } from './memory-bus.js';

interface Ctx {
  bus: MemoryBus;
}

const started = (jobId: string): PipelineEvent =>
  createEvent(EventType.jobStarted, { jobId, type: 'zip', attempt: 1 }, { source: '/artifact-pipeline/test' });

/** Resolves once `check` holds, polling every turn for at most 2 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 2_000;
  while (!check()) {
    if (Date.now() > until) throw new Error(`deadline: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const Memory = suite<Ctx>('createMemoryBus', {} as Ctx);
Memory.before.each((ctx) => {
  ctx.bus = createMemoryBus({ maxAttempts: 3, backoff: { baseMs: 5, maxMs: 20 } });
});
Memory.after.each(async (ctx) => {
  await ctx.bus.close();
});

Memory('is a Bus with publishRaw', ({ bus }) => {
  for (const m of ['publish', 'publishRaw', 'consume', 'consumeRaw', 'drainDeadLetters', 'ensureTopic', 'ping', 'close']) {
    assert.type((bus as unknown as Record<string, unknown>)[m], 'function', m);
  }
});

Memory('never runs a handler inside publish', async ({ bus }) => {
  const seen: string[] = [];
  await bus.consume('t', async (e) => void seen.push(e.id));
  const event = started('job-1');
  const publishing = bus.publish('t', event);
  assert.equal(seen, [], 'nothing handled synchronously');
  await publishing;
  await eventually(() => seen.length === 1, 'delivery');
  assert.equal(seen, [event.id]);
});

Memory('every group gets every message; one group’s consumers share them', async ({ bus }) => {
  const a: string[] = [];
  const b: string[] = [];
  await bus.consume('t', async (e) => void a.push(e.id), { group: 'projector' });
  await bus.consume('t', async (e) => void b.push(e.id), { group: 'notifier' });
  const shared: string[] = [];
  await bus.consume('t', async (e) => void shared.push(`1:${e.id}`), { group: 'workers' });
  await bus.consume('t', async (e) => void shared.push(`2:${e.id}`), { group: 'workers' });
  const events = [started('j1'), started('j2'), started('j3'), started('j4')];
  for (const e of events) await bus.publish('t', e);
  await eventually(() => a.length === 4 && b.length === 4 && shared.length === 4, 'deliveries');
  assert.equal(a.sort(), events.map((e) => e.id).sort());
  assert.equal(b.sort(), events.map((e) => e.id).sort());
  assert.equal(shared.map((s) => s.slice(2)).sort(), events.map((e) => e.id).sort(), 'each once within the group');
});

Memory('consumeRaw hands over parsed JSON and dead-letters what is not JSON', async ({ bus }) => {
  const seen: unknown[] = [];
  await bus.consumeRaw('raw', async (body) => void seen.push(body));
  // Concurrency 1 takes messages in order: once the JSON one is handled, the other was decided.
  await bus.publishRaw('raw', Buffer.from('not json'));
  await bus.publishRaw('raw', '{"Records":[{"s3":{"object":{"key":"a+b"}}}]}');
  await eventually(() => seen.length === 1, 'the JSON body');
  assert.equal(seen, [{ Records: [{ s3: { object: { key: 'a+b' } } }] }]);
  const letters = await bus.drainDeadLetters('raw');
  assert.equal(
    letters.map((l) => [l.body, l.reason.code, l.attempts, l.topic]),
    [['not json', 'INVALID_EVENT', 1, 'raw']],
  );
});

Memory('drainDeadLetters removes what it returns, at most `max`', async ({ bus }) => {
  const seen: string[] = [];
  await bus.consume('dl', async (e) => void seen.push(e.id));
  for (const raw of ['a', 'b', 'c']) await bus.publishRaw('dl', raw);
  await bus.publish('dl', started('after'));
  await eventually(() => seen.length === 1, 'the valid event after the bad ones');
  assert.equal((await bus.drainDeadLetters('dl', 2)).map((l) => l.body), ['a', 'b']);
  assert.equal((await bus.drainDeadLetters('dl')).map((l) => l.body), ['c']);
  assert.equal(await bus.drainDeadLetters('dl'), []);
});

Memory('close stops consumers and refuses new work', async ({ bus }) => {
  await bus.close();
  await bus.close();
  try {
    await bus.publish('t', started('late'));
    assert.unreachable('publish after close');
  } catch (err) {
    assert.match((err as Error).message, /closed/);
  }
  try {
    await bus.ping();
    assert.unreachable('ping after close');
  } catch (err) {
    assert.match((err as Error).message, /closed/);
  }
});

Memory.run();
