/**
 * Kafka-only: how consume() spreads work over partitions. Each key (job id) keeps its
 * order, because a key lives in one partition and a partition runs one handler at a time;
 * and a handler that takes long holds up only its own partition.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Bus, PipelineEvent, Subscription } from '@artifact-pipeline/shared';
import { createKafkaBus } from '@artifact-pipeline/shared/adapters/kafka-bus';
import { uniqueName, waitFor, withDeadline } from '../harness/support.js';
import { jobIdsOnPartitions, kafkaBusOptions, progressEvent } from './kafka-test-support.js';

interface Ctx {
  bus: Bus;
  subscriptions: Subscription[];
}

interface Seen {
  jobId: string;
  seq: number;
}

const seenOf = (event: PipelineEvent): Seen => {
  const data = event.data as { jobId: string; itemsDone: number };
  return { jobId: data.jobId, seq: data.itemsDone };
};

const Consume = suite<Ctx>('createKafkaBus consume: partitions', { subscriptions: [] } as unknown as Ctx);
Consume.before((ctx) => {
  ctx.bus = createKafkaBus(kafkaBusOptions({ clientId: 'kafka-partitions-test' }));
});
Consume.after.each(async (ctx) => {
  await withDeadline(Promise.all(ctx.subscriptions.splice(0).map((s) => s.stop(0))), 20_000, 'consumers to stop');
});
Consume.after(async (ctx) => {
  await withDeadline(ctx.bus.close(), 20_000, 'the bus to close');
});

Consume('keeps each key in order with concurrency 3 on 3 partitions', async (ctx) => {
  const topic = uniqueName('order');
  await ctx.bus.ensureTopic(topic);
  // Two keys on different partitions, so their handlers really run side by side.
  const keys = jobIdsOnPartitions('order', [0, 1], 3);
  const perKey = 50;
  const seen: Seen[] = [];
  ctx.subscriptions.push(
    await ctx.bus.consume(
      topic,
      async (event) => {
        // Uneven handler times: a consumer that let a key's messages overlap would reorder them.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));
        seen.push(seenOf(event));
      },
      { concurrency: 3, group: uniqueName('group') },
    ),
  );
  for (let seq = 0; seq < perKey; seq++) {
    for (const jobId of keys) await ctx.bus.publish(topic, progressEvent(jobId, seq));
  }
  await waitFor(() => seen.length >= perKey * keys.length, 'all 100 messages to be handled', { timeoutMs: 30_000 });
  const expected = Array.from({ length: perKey }, (_, i) => i);
  for (const jobId of keys) {
    assert.equal(seen.filter((s) => s.jobId === jobId).map((s) => s.seq), expected, `${jobId} in order, each once`);
  }
  assert.is(seen.length, perKey * keys.length, 'nothing handled twice');
});

Consume('a handler that takes long holds up only its own partition', async (ctx) => {
  const topic = uniqueName('slow');
  await ctx.bus.ensureTopic(topic);
  const [slowKey, fastA, fastB] = jobIdsOnPartitions('slow', [0, 1, 2], 3) as [string, string, string];
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const seen: Seen[] = [];
  ctx.subscriptions.push(
    await ctx.bus.consume(
      topic,
      async (event) => {
        const s = seenOf(event);
        if (s.jobId === slowKey && s.seq === 0) await gate;
        seen.push(s);
      },
      { concurrency: 3, group: uniqueName('group') },
    ),
  );
  await ctx.bus.publish(topic, progressEvent(slowKey, 0));
  await ctx.bus.publish(topic, progressEvent(slowKey, 1));
  for (let seq = 0; seq < 5; seq++) {
    await ctx.bus.publish(topic, progressEvent(fastA, seq));
    await ctx.bus.publish(topic, progressEvent(fastB, seq));
  }
  try {
    await waitFor(() => seen.filter((s) => s.jobId !== slowKey).length >= 10, 'the other partitions to be handled', {
      timeoutMs: 20_000,
    });
    assert.equal(seen.filter((s) => s.jobId === slowKey), [], 'the slow key is still on its first message');
  } finally {
    openGate();
  }
  await waitFor(() => seen.filter((s) => s.jobId === slowKey).length >= 2, 'the slow key to finish', { timeoutMs: 20_000 });
  assert.equal(seen.filter((s) => s.jobId === slowKey).map((s) => s.seq), [0, 1], 'and its second message came after');
});

Consume.run();
