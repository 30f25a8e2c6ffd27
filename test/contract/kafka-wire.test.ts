/**
 * Kafka-only: what is on the wire. Events from other systems in structured content mode
 * are accepted; the bus writes binary mode keyed by job id with per-hop trace headers; a
 * dead letter keeps the original key, value and headers and says why in `ap-*` headers;
 * drainDeadLetters hands each dead letter out once, at most `max` at a time.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { Bus, PipelineError, PipelineEvent, Subscription } from '@artifact-pipeline/shared';
import { createKafkaBus } from '@artifact-pipeline/shared/adapters/kafka-bus';
import { uniqueName, waitFor, withDeadline } from '../harness/support.js';
import { inTestSpan, installTestTracing } from './bus-contract-tracing.js';
import { kafkaBusOptions, progressEvent, rawKafka, type RawKafka } from './kafka-test-support.js';

interface Ctx {
  bus: Bus;
  raw: RawKafka;
  subscriptions: Subscription[];
}

const text = (headers: IHeaders | undefined, name: string): string | undefined => headers?.[name]?.toString();

/** Every message of `topic`, read from the beginning with a throwaway group. */
async function readTopic(raw: RawKafka, topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = raw.kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
  const got: KafkaMessage[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(message) });
    await waitFor(() => got.length >= count, `${count} message(s) on ${topic}`, { timeoutMs: 20_000 });
    return got;
  } finally {
    await consumer.disconnect();
  }
}

const Wire = suite<Ctx>('createKafkaBus: messages on the wire', { subscriptions: [] } as unknown as Ctx);
Wire.before((ctx) => {
  ctx.bus = createKafkaBus(kafkaBusOptions({ clientId: 'kafka-wire-test' }));
  ctx.raw = rawKafka();
});
Wire.after.each(async (ctx) => {
  await withDeadline(Promise.all(ctx.subscriptions.splice(0).map((s) => s.stop(0))), 20_000, 'consumers to stop');
});
Wire.after(async (ctx) => {
  await withDeadline(Promise.all([ctx.bus.close(), ctx.raw.close()]), 20_000, 'the clients to close');
});

Wire('accepts an event in structured content mode from another system', async (ctx) => {
  const topic = uniqueName('structured');
  await ctx.bus.ensureTopic(topic);
  const event = { ...progressEvent(uniqueName('structured'), 7), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
  const seen: PipelineEvent[] = [];
  ctx.subscriptions.push(await ctx.bus.consume(topic, async (e) => void seen.push(e), { group: uniqueName('group') }));
  // CloudEvents Kafka binding §3.3: the whole event is the value, no ce_ headers, no key.
  await ctx.raw.send(topic, [
    { value: JSON.stringify(event), headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' } },
  ]);
  await waitFor(() => seen.length >= 1, 'the structured event', { timeoutMs: 20_000 });
  assert.equal(seen[0], event);
});

Wire('publishes binary mode, keyed by job id, with per-hop trace headers', async (ctx) => {
  const topic = uniqueName('binary');
  await ctx.bus.ensureTopic(topic);
  installTestTracing();
  const event = { ...progressEvent(uniqueName('binary'), 3), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
  const { traceId } = await inTestSpan('wire publish', () => ctx.bus.publish(topic, event));
  const [message] = await readTopic(ctx.raw, topic, 1);
  assert.ok(text(message!.headers, 'traceparent')?.includes(traceId), 'per-hop traceparent of the publishing span');
  assert.is(text(message!.headers, 'ce_traceparent'), event.traceparent, 'the event’s own extension, apart');
  assert.is(message!.key?.toString(), event.partitionkey, 'key = partitionkey = job id');
  assert.is(text(message!.headers, 'ce_id'), event.id);
  assert.is(text(message!.headers, 'ce_type'), event.type);
  assert.is(text(message!.headers, 'content-type'), 'application/json');
  assert.equal(JSON.parse(message!.value!.toString()), event.data, 'value = the data alone');
});

Wire('a dead letter keeps key, value and headers and adds the reason', async (ctx) => {
  const topic = uniqueName('dlqwire');
  await ctx.bus.ensureTopic(topic);
  const value = '{"not": "a cloudevent"';
  await ctx.raw.send(topic, [{ key: 'job-42', value, headers: { 'x-origin': 'wire-test', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } }]);
  ctx.subscriptions.push(await ctx.bus.consume(topic, async () => undefined, { group: uniqueName('group') }));
  const [letter] = await readTopic(ctx.raw, `${topic}.dlq`, 1);
  assert.is(letter!.key?.toString(), 'job-42');
  assert.is(letter!.value?.toString(), value);
  assert.is(text(letter!.headers, 'x-origin'), 'wire-test', 'original headers kept');
  assert.is(text(letter!.headers, 'ap-error-code'), 'INVALID_EVENT');
  assert.ok((text(letter!.headers, 'ap-error-message') ?? '').length > 0, 'a reason');
  assert.is(text(letter!.headers, 'ap-attempts'), '1');
  assert.is(text(letter!.headers, 'ap-source-topic'), topic);
});

Wire('drainDeadLetters returns each dead letter once, at most max per call', async (ctx) => {
  const topic = uniqueName('drain');
  await ctx.bus.ensureTopic(topic);
  const bodies = ['bad one', 'bad two', 'bad three'];
  // One key: one partition, so the order is the order sent.
  await ctx.raw.send(topic, bodies.map((value) => ({ key: 'same', value })));
  ctx.subscriptions.push(await ctx.bus.consume(topic, async () => undefined, { group: uniqueName('group') }));
  await readTopic(ctx.raw, `${topic}.dlq`, bodies.length);
  const first = await ctx.bus.drainDeadLetters(topic, 2);
  const second = await ctx.bus.drainDeadLetters(topic, 2);
  const third = await ctx.bus.drainDeadLetters(topic, 2);
  assert.equal(first.map((l) => l.body), ['bad one', 'bad two']);
  assert.equal(second.map((l) => l.body), ['bad three']);
  assert.equal(third, [], 'nothing handed out twice');
  assert.equal(second[0], { body: 'bad three', reason: second[0]!.reason, attempts: 1, topic });
  assert.is(second[0]!.reason.code, 'INVALID_EVENT');
});

Wire('consumeRaw hands over the parsed JSON value and dead-letters what is not JSON', async (ctx) => {
  const topic = uniqueName('raw');
  await ctx.bus.ensureTopic(topic);
  const bodies: unknown[] = [];
  ctx.subscriptions.push(await ctx.bus.consumeRaw(topic, async (body) => void bodies.push(body), { group: uniqueName('group') }));
  await ctx.raw.send(topic, [{ key: 'k', value: 'not json at all' }, { key: 'k', value: '{"Records":[{"s3":{"object":{"key":"a+b"}}}]}' }]);
  await waitFor(() => bodies.length >= 1, 'the JSON body', { timeoutMs: 20_000 });
  assert.equal(bodies, [{ Records: [{ s3: { object: { key: 'a+b' } } }] }]);
  const letters = await waitFor(async () => {
    const found = await ctx.bus.drainDeadLetters(topic);
    return found.length > 0 ? found : undefined;
  }, 'the dead letter', { timeoutMs: 20_000, intervalMs: 100 });
  assert.equal(letters.map((l) => [l.body, l.reason.code, l.attempts]), [['not json at all', 'INVALID_EVENT', 1]]);
});

Wire('drainDeadLetters of a topic never ensured is empty', async (ctx) => {
  assert.equal(await ctx.bus.drainDeadLetters(uniqueName('never')), []);
});

Wire('ping rejects with UNAVAILABLE when no broker answers', async () => {
  // Port 1 on loopback: nothing listens there.
  const lonely = createKafkaBus(kafkaBusOptions({ brokers: ['127.0.0.1:1'], clientId: 'kafka-wire-ping' }));
  try {
    const err = await withDeadline(lonely.ping().then(() => undefined, (e: unknown) => e), 30_000, 'ping to give up');
    assert.is((err as PipelineError | undefined)?.code, 'UNAVAILABLE');
    assert.is((err as PipelineError | undefined)?.retriable, true);
  } finally {
    await lonely.close();
  }
});

Wire.run();
