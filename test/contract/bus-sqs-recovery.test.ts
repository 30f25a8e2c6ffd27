/**
 * The SQS bus when things go wrong outside the handler: bodies that are not JSON on a raw
 * queue, crash loops caught by the redrive policy, and a queue that vanishes under a
 * running consumer.
 */
import { DeleteQueueCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { pino } from 'pino';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Bus } from '@artifact-pipeline/shared';
import { createSqsBus } from '@artifact-pipeline/shared/adapters/sqs-bus';
import { REDRIVE_MARGIN } from '@artifact-pipeline/shared/adapters/sqs-queues';
import { waitFor } from '../harness/support.js';
import { MAX_ATTEMPTS, aws, busOptions, topicFor, urlOf } from './bus-sqs-options.js';
import { sampleEvent } from './bus.contract.js';

interface Ctx {
  bus: Bus;
  raw: SQSClient;
}

const Recovery = suite<Ctx>('createSqsBus recovery', {} as Ctx);
Recovery.before((ctx) => {
  ctx.bus = createSqsBus(busOptions);
  ctx.raw = new SQSClient(aws);
});
Recovery.after(async (ctx) => {
  await ctx.bus.close();
  ctx.raw.destroy();
});

Recovery('consumeRaw hands over parsed JSON and dead-letters a body that is not JSON', async ({ bus, raw }) => {
  const topic = topicFor('raw');
  await bus.ensureTopic(topic);
  const bodies: unknown[] = [];
  const sub = await bus.consumeRaw(topic, async (body) => void bodies.push(body));
  try {
    const QueueUrl = await urlOf(raw, topic);
    await raw.send(new SendMessageCommand({ QueueUrl, MessageBody: '<Event>xml</Event>' }));
    await raw.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"Records":[]}' }));
    await waitFor(() => bodies.length === 1, 'the JSON body', { timeoutMs: 20_000 });
    const letters = await waitFor(async () => {
      const found = await bus.drainDeadLetters(topic);
      return found.length > 0 ? found : undefined;
    }, 'the dead letter', { timeoutMs: 20_000 });
    assert.equal(bodies, [{ Records: [] }]);
    assert.equal(letters.map((l) => [l.body, l.reason.code, l.attempts]), [['<Event>xml</Event>', 'INVALID_EVENT', 1]]);
  } finally {
    await sub.stop(1_000);
  }
});

Recovery('a message received too often without an answer is redriven to the DLQ', async ({ bus, raw }) => {
  const topic = topicFor('redrive');
  await bus.ensureTopic(topic);
  const QueueUrl = await urlOf(raw, topic);
  await raw.send(new SendMessageCommand({ QueueUrl, MessageBody: 'crash loop' }));
  // Consumers that die before answering: receive and never delete, visible again at once.
  for (let i = 0; i < MAX_ATTEMPTS + REDRIVE_MARGIN + 1; i++) {
    await raw.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
  }
  const letters = await waitFor(async () => {
    const found = await bus.drainDeadLetters(topic);
    return found.length > 0 ? found : undefined;
  }, 'the redriven message', { timeoutMs: 10_000 });
  assert.equal(letters.map((l) => [l.body, l.reason.code, l.topic]), [['crash loop', 'REDRIVEN', topic]]);
});

Recovery('the consumer survives its queue vanishing and resumes when it is back', async ({ raw }) => {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const bus = createSqsBus({ ...busOptions, logger });
  const topic = topicFor('vanish');
  await bus.ensureTopic(topic);
  const seen: string[] = [];
  await bus.consume(topic, async (e) => void seen.push(e.id));
  try {
    await raw.send(new DeleteQueueCommand({ QueueUrl: await urlOf(raw, topic) }));
    await waitFor(() => lines.some((l) => l.includes('SQS receive failed')), 'a logged receive failure', { timeoutMs: 20_000 });
    await bus.ensureTopic(topic);
    const event = sampleEvent('back');
    await bus.publish(topic, event);
    await waitFor(() => seen.includes(event.id), 'delivery after the queue is back', { timeoutMs: 30_000 });
  } finally {
    await bus.close();
  }
});

Recovery.run();
