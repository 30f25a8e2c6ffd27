/**
 * Kafka-only: a consumer's life. A handler longer than the session timeout keeps its
 * partition (heartbeats go on); stop(deadline) with one handler per partition lets the one
 * that can finish commit and gives the aborted ones back; a message waiting to be retried
 * is given back at once when stopping.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, PipelineError, type Bus, type PipelineEvent, type Subscription } from '@artifact-pipeline/shared';
import { createKafkaBus } from '@artifact-pipeline/shared/adapters/kafka-bus';
import { uniqueName, waitFor, withDeadline } from '../harness/support.js';
import { jobIdsOnPartitions, kafkaBusOptions, progressEvent } from './kafka-test-support.js';

interface Ctx {
  bus: Bus;
  subscriptions: Subscription[];
}

interface Seen {
  event: PipelineEvent;
  attempt: number;
  signal: AbortSignal;
}

const aborted = (signal: AbortSignal): Promise<void> =>
  signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

const Lifecycle = suite<Ctx>('createKafkaBus consume: heartbeats and stop', { subscriptions: [] } as unknown as Ctx);
Lifecycle.before((ctx) => {
  // The backoff is long on purpose: the retry case must not wait it out.
  ctx.bus = createKafkaBus(kafkaBusOptions({ clientId: 'kafka-lifecycle-test', backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 'none' } }));
});
Lifecycle.after.each(async (ctx) => {
  await withDeadline(Promise.all(ctx.subscriptions.splice(0).map((s) => s.stop(0))), 20_000, 'consumers to stop');
});
Lifecycle.after(async (ctx) => {
  await withDeadline(ctx.bus.close(), 20_000, 'the bus to close');
});

Lifecycle('a handler running longer than the session timeout is not redelivered meanwhile', async (ctx) => {
  const topic = uniqueName('long');
  await ctx.bus.ensureTopic(topic);
  const group = uniqueName('group');
  const long = progressEvent(uniqueName('long'), 0);
  const seen: string[] = [];
  let finished = false;
  const handler = async (event: PipelineEvent): Promise<void> => {
    seen.push(event.id);
    if (event.id !== long.id) return;
    // 10 s of work against a 6 s session timeout: without heartbeats the member is evicted
    // and the other member of the group gets the message too.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    finished = true;
  };
  // Two members of one group: whichever does not hold the message would receive it if the
  // holder's session expired.
  ctx.subscriptions.push(await ctx.bus.consume(topic, handler, { group }));
  ctx.subscriptions.push(await ctx.bus.consume(topic, handler, { group }));
  await ctx.bus.publish(topic, long);
  await waitFor(() => finished, 'the long handler to finish', { timeoutMs: 30_000 });
  const sentinel = progressEvent(uniqueName('sentinel'), 0);
  await ctx.bus.publish(topic, sentinel);
  await waitFor(() => seen.includes(sentinel.id), 'the next message', { timeoutMs: 20_000 });
  assert.equal(seen.filter((id) => id === long.id).length, 1, 'the long message was handled once');
});

Lifecycle('stop(deadline) with one handler per partition: commits the finished one, gives back the rest', async (ctx) => {
  const topic = uniqueName('stop3');
  await ctx.bus.ensureTopic(topic);
  const group = uniqueName('group');
  const [finishing, resolving, throwing] = jobIdsOnPartitions('stop3', [0, 1, 2], 3).map((jobId) => progressEvent(jobId, 0)) as [
    PipelineEvent, PipelineEvent, PipelineEvent,
  ];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const started: Seen[] = [];
  const sub = await ctx.bus.consume(
    topic,
    async (event, delivery) => {
      started.push({ event, attempt: delivery.attempt, signal: delivery.signal });
      if (event.id === finishing.id) return released;
      await aborted(delivery.signal);
      if (event.id === throwing.id) throw delivery.signal.reason;
    },
    { concurrency: 3, group },
  );
  ctx.subscriptions.push(sub);
  for (const event of [finishing, resolving, throwing]) await ctx.bus.publish(topic, event);
  await waitFor(() => started.length >= 3, 'three handlers at once, one per partition', { timeoutMs: 20_000 });

  const stopping = sub.stop(1_500);
  release();
  await withDeadline(stopping, 20_000, 'stop(1500) to return');
  const abortedById = new Map(started.map((s) => [s.event.id, s.signal.aborted]));
  assert.equal(
    [abortedById.get(finishing.id), abortedById.get(resolving.id), abortedById.get(throwing.id)],
    [false, true, true],
    'only the handlers still running at the deadline were aborted',
  );

  const next: string[] = [];
  ctx.subscriptions.push(await ctx.bus.consume(topic, async (event) => void next.push(event.id), { concurrency: 3, group }));
  const sentinel = progressEvent(uniqueName('sentinel'), 0);
  await ctx.bus.publish(topic, sentinel);
  const want = [resolving.id, throwing.id, sentinel.id];
  await waitFor(() => want.every((id) => next.includes(id)), 'the aborted messages to come back', { timeoutMs: 20_000 });
  assert.not.ok(next.includes(finishing.id), 'the finished message was committed');
  assert.equal(await ctx.bus.drainDeadLetters(topic), [], 'aborted work is not dead-lettered');
});

Lifecycle('stopping gives back a message waiting for its retry without waiting out the backoff', async (ctx) => {
  const topic = uniqueName('stopretry');
  await ctx.bus.ensureTopic(topic);
  const group = uniqueName('group');
  const flaky = progressEvent(uniqueName('flaky'), 0);
  const attempts: number[] = [];
  const sub = await ctx.bus.consume(
    topic,
    async (_event, delivery) => {
      attempts.push(delivery.attempt);
      throw new PipelineError('downstream unavailable', { code: ErrorCode.UNAVAILABLE, retriable: true });
    },
    { group },
  );
  ctx.subscriptions.push(sub);
  await ctx.bus.publish(topic, flaky);
  await waitFor(() => attempts.length >= 1, 'the first attempt', { timeoutMs: 20_000 });
  // The next attempt is 60 s away; stop's own deadline is longer still.
  await withDeadline(sub.stop(120_000), 15_000, 'stop to return without waiting for the retry');
  assert.equal(attempts, [1], 'no second attempt in the stopped consumer');

  const next: Seen[] = [];
  ctx.subscriptions.push(
    await ctx.bus.consume(topic, async (event, delivery) => void next.push({ event, attempt: delivery.attempt, signal: delivery.signal }), { group }),
  );
  await waitFor(() => next.length >= 1, 'the message to come back', { timeoutMs: 20_000 });
  assert.equal(next[0]!.event, flaky, 'the same event');
  assert.is(next[0]!.attempt, 1, 'attempts start again at 1 after a redelivery');
  assert.equal(await ctx.bus.drainDeadLetters(topic), [], 'not dead-lettered');
});

Lifecycle('a member joining mid-stream loses nothing of a busy partition', async (ctx) => {
  const topic = uniqueName('rebalance');
  await ctx.bus.ensureTopic(topic);
  const group = uniqueName('group');
  const jobId = uniqueName('rebalance');
  const count = 30;
  const handled: number[] = [];
  const handler = async (event: PipelineEvent): Promise<void> => {
    // A little work per message, so the rebalance lands while the partition is busy.
    await new Promise((resolve) => setTimeout(resolve, 30));
    handled.push((event.data as { itemsDone: number }).itemsDone);
  };
  ctx.subscriptions.push(await ctx.bus.consume(topic, handler, { group }));
  for (let seq = 0; seq < count; seq++) await ctx.bus.publish(topic, progressEvent(jobId, seq));
  await waitFor(() => handled.length >= 5, 'the first messages', { timeoutMs: 20_000 });
  // Whether the busy partition stays or moves to the newcomer, every message is handled.
  ctx.subscriptions.push(await ctx.bus.consume(topic, handler, { group }));
  await waitFor(() => new Set(handled).size >= count, 'every message to be handled', { timeoutMs: 30_000 });
  assert.equal([...new Set(handled)].sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i));
  const firsts = handled.filter((seq, i) => handled.indexOf(seq) === i);
  assert.equal(firsts, [...firsts].sort((a, b) => a - b), 'first handlings in key order');
});

Lifecycle.run();
