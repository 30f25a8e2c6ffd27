/**
 * The SQS bus (moto) against the Bus contract, plus what only SQS has: queue naming and
 * the redrive policy, and the visibility heartbeat that keeps a long handler's message.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Bus } from '@artifact-pipeline/shared';
import { createSqsBus } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { REDRIVE_MARGIN } from '@artifact-pipeline/shared/adapters/sqs-queues';
import { waitFor, withDeadline } from '../harness/support.js';
import { MAX_ATTEMPTS, aws, busOptions, topicFor, urlOf } from './bus-sqs-options.js';
import { busContract, sampleEvent, spawnBusChild } from './bus.contract.js';

busContract(
  'sqs',
  async () => {
    const bus = createSqsBus(busOptions);
    const raw = new SQSClient(aws);
    return {
      bus,
      maxAttempts: MAX_ATTEMPTS,
      async newTopic(label) {
        const topic = topicFor(label);
        await bus.ensureTopic(topic);
        return topic;
      },
      async publishRaw(topic, body) {
        await raw.send(new SendMessageCommand({ QueueUrl: await urlOf(raw, topic), MessageBody: body.toString() }));
      },
      spawnConsumer: (topic, opts) =>
        spawnBusChild(
          { module: '@artifact-pipeline/shared/adapters/sqs-bus', exportName: 'createSqsBus', options: busOptions },
          topic,
          opts,
        ),
      async close() {
        await bus.close();
        raw.destroy();
      },
    };
  },
  { timeoutMs: 20_000, redeliveryTimeoutMs: 15_000 },
);

interface Ctx {
  bus: Bus;
  raw: SQSClient;
}

const Sqs = suite<Ctx>('createSqsBus', {} as Ctx);
Sqs.before((ctx) => {
  ctx.bus = createSqsBus(busOptions);
  ctx.raw = new SQSClient(aws);
});
Sqs.after(async (ctx) => {
  await ctx.bus.close();
  ctx.raw.destroy();
});

Sqs('ensureTopic makes <queue> and <queue>-dlq with the redrive policy, idempotently', async ({ bus, raw }) => {
  const topic = topicFor('naming');
  await bus.ensureTopic(topic);
  await bus.ensureTopic(topic);
  const name = topic.replace(/\./g, '-');
  const { QueueUrl } = await raw.send(new GetQueueUrlCommand({ QueueName: name }));
  const dlq = await raw.send(new GetQueueUrlCommand({ QueueName: `${name}-dlq` }));
  const attrs = await raw.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  const dlqAttrs = await raw.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
  const redrive = JSON.parse(attrs.Attributes?.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string; maxReceiveCount?: unknown };
  assert.is(redrive.deadLetterTargetArn, dlqAttrs.Attributes?.QueueArn);
  assert.is(Number(redrive.maxReceiveCount), MAX_ATTEMPTS + REDRIVE_MARGIN);
  assert.is(attrs.Attributes?.VisibilityTimeout, '2');
});

Sqs('publishing to a topic nobody created fails clearly, without retrying', async ({ bus }) => {
  try {
    await bus.publish(topicFor('missing'), sampleEvent());
    assert.unreachable('publish should fail');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'NOT_FOUND');
    assert.is((err as { retriable?: boolean }).retriable, false);
  }
});

Sqs('extends visibility while a long handler runs: acked once, never redelivered meanwhile', async ({ bus }) => {
  const topic = topicFor('long');
  await bus.ensureTopic(topic);
  const long = sampleEvent('long');
  const seen: Array<{ id: string; attempt: number }> = [];
  let finished = false;
  const sub = await bus.consume(
    topic,
    async (event, delivery) => {
      seen.push({ id: event.id, attempt: delivery.attempt });
      if (event.id !== long.id) return;
      // Three times the 2 s visibility timeout: without the heartbeat SQS hands it out again.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      finished = true;
    },
    { concurrency: 2 },
  );
  try {
    await bus.publish(topic, long);
    await waitFor(() => finished, 'the long handler to finish', { timeoutMs: 20_000 });
    // While the handler ran, the consumer had a free slot: a redelivery would have reached
    // it (attempt 2). After the ack, a later message arrives and the long one does not.
    const sentinel = sampleEvent('sentinel');
    await bus.publish(topic, sentinel);
    await waitFor(() => seen.some((s) => s.id === sentinel.id), 'the next message', { timeoutMs: 20_000 });
    assert.equal(seen.filter((s) => s.id === long.id), [{ id: long.id, attempt: 1 }], 'delivered once');
  } finally {
    await withDeadline(sub.stop(1_000), 10_000, 'stop');
  }
});

Sqs('resolveTopic names a missing queue and what creates it; it creates nothing', async ({ bus, raw }) => {
  const topic = topicFor('unprovisioned');
  const err = await bus.resolveTopic(topic).then(() => undefined, (e: unknown) => e as { code?: string; message?: string; context?: Record<string, unknown> });
  assert.ok(err, 'resolveTopic of a missing queue must fail');
  assert.is(err.code, 'NOT_FOUND');
  assert.match(err.message ?? '', /artifacts provision/);
  assert.match(String(err.context?.queue), /unprovisioned/);
  const exists = await raw.send(new GetQueueUrlCommand({ QueueName: String(err.context?.queue) })).then(() => true, () => false);
  assert.is(exists, false, 'no queue was created');
});

Sqs('a consumer of an unprovisioned topic is refused at subscribe, and ping checks only resolved queues', async ({ bus }) => {
  const topic = topicFor('unprovisioned-consume');
  const err = await bus.consume(topic, async () => undefined).then(() => undefined, (e: unknown) => e as { code?: string });
  assert.is(err?.code, 'NOT_FOUND');
  const fresh = createSqsBus(busOptions);
  try {
    await fresh.ping(); // nothing resolved yet: no ListQueues, nothing to check
    const known = topicFor('resolved');
    await bus.ensureTopic(known);
    await fresh.resolveTopic(known);
    await fresh.ping();
  } finally {
    await fresh.close();
  }
});

Sqs.run();
