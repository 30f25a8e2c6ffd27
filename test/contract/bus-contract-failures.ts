/**
 * Contract cases for failing handlers and bad messages: retry with backoff, dead-letter
 * after maxAttempts, malformed and non-retriable messages dead-lettered at once — and the
 * consumer carries on with the next message every time.
 */
import * as assert from 'uvu/assert';
import { ErrorCode, PipelineError, badInput, type DeadLetter } from '@artifact-pipeline/shared';
import { uniqueName, waitFor } from '../harness/support.js';
import { caseSuite, createInbox, idsOf, sampleEvent, type CaseContext, type Seen } from './bus-contract-support.js';
import type { BusFixture, ContractOptions } from './bus-contract-types.js';

type MakeFixture = () => Promise<BusFixture>;

/** Drains the topic's dead letters until `count` have come out (they may take a moment). */
async function collectDeadLetters(ctx: CaseContext, topic: string, count: number): Promise<DeadLetter[]> {
  const found: DeadLetter[] = [];
  await waitFor(
    async () => {
      found.push(...(await ctx.fixture.bus.drainDeadLetters(topic)));
      return found.length >= count;
    },
    `${count} dead letter(s) on ${topic}`,
    { timeoutMs: ctx.timeoutMs, intervalMs: 100 },
  );
  return found;
}

/** Starts a consumer that records every delivery and lets `react` decide its fate. */
async function consumeWith(
  ctx: CaseContext,
  topic: string,
  react: (seen: Seen) => void,
): Promise<ReturnType<typeof createInbox<Seen>>> {
  const inbox = createInbox<Seen>();
  ctx.subscriptions.push(
    await ctx.fixture.bus.consume(
      topic,
      async (event, delivery) => {
        inbox.push({ event, delivery });
        react({ event, delivery });
      },
      { concurrency: 2, group: uniqueName('group') },
    ),
  );
  return inbox;
}

export function failureCases(name: string, makeFixture: MakeFixture, options: ContractOptions): void {
  const skip = options.skip ?? {};
  const s = caseSuite(`${name} bus: failing handlers and bad messages`, makeFixture, options);

  if (!skip.retry) s('retries a retriable failure with backoff, then acks once', async (ctx) => {
    const topic = await ctx.fixture.newTopic('retry');
    const flaky = sampleEvent('flaky');
    const inbox = await consumeWith(ctx, topic, ({ event, delivery }) => {
      if (event.id === flaky.id && delivery.attempt < 3) {
        throw new PipelineError('downstream briefly unavailable', { code: ErrorCode.UNAVAILABLE, retriable: true });
      }
    });
    await ctx.fixture.bus.publish(topic, flaky);
    const tries = () => inbox.items.filter((s) => s.event.id === flaky.id);
    await inbox.until(() => tries().length >= 3, 'the third attempt', ctx.timeoutMs);
    // A later message is handled; by then a redelivery of the acked one would have shown.
    const after = sampleEvent('after-retry');
    await ctx.fixture.bus.publish(topic, after);
    await inbox.until((items) => idsOf(items).includes(after.id), 'the next message', ctx.timeoutMs);
    assert.equal(tries().map((s) => s.delivery.attempt), [1, 2, 3]);
    assert.equal(await ctx.fixture.bus.drainDeadLetters(topic), [], 'nothing dead-lettered');
  });

  if (!skip['dead-letter']) s('dead-letters after maxAttempts with the error, and keeps consuming', async (ctx) => {
    const topic = await ctx.fixture.newTopic('poison');
    const poison = sampleEvent('poison');
    const good = sampleEvent('good');
    const inbox = await consumeWith(ctx, topic, ({ event }) => {
      if (event.id === poison.id) {
        throw new PipelineError('renderer unavailable (contract)', { code: ErrorCode.UNAVAILABLE, retriable: true });
      }
    });
    await ctx.fixture.bus.publish(topic, poison);
    await ctx.fixture.bus.publish(topic, good);
    const [letter] = await collectDeadLetters(ctx, topic, 1);
    assert.equal(letter!.reason, { code: 'UNAVAILABLE', message: 'renderer unavailable (contract)' });
    assert.is(letter!.attempts, ctx.fixture.maxAttempts);
    assert.is(letter!.topic, topic);
    assert.ok(letter!.body.includes(poison.data.jobId), 'the dead letter carries the original message');
    const tries = inbox.items.filter((s) => s.event.id === poison.id).map((s) => s.delivery.attempt);
    assert.equal(tries, Array.from({ length: ctx.fixture.maxAttempts }, (_, i) => i + 1));
    const next = sampleEvent('next');
    await ctx.fixture.bus.publish(topic, next);
    await inbox.until((items) => idsOf(items).includes(next.id) && idsOf(items).includes(good.id), 'later messages', ctx.timeoutMs);
  });

  if (!skip.malformed) s('dead-letters malformed messages at once with the reason', async (ctx) => {
    const topic = await ctx.fixture.newTopic('malformed');
    const unknownType = JSON.stringify({ ...sampleEvent('unknown'), type: 'io.artifactpipeline.no.such.type.v1' });
    const raws = ['this is {not json', JSON.stringify({ hello: 'world' }), unknownType];
    const good = sampleEvent('good');
    const inbox = await consumeWith(ctx, topic, () => {});
    for (const raw of raws) await ctx.fixture.publishRaw(topic, raw);
    await ctx.fixture.bus.publish(topic, good);
    const letters = await collectDeadLetters(ctx, topic, raws.length);
    await inbox.until((items) => items.length >= 1, 'the good message', ctx.timeoutMs);
    assert.equal(idsOf(inbox.items), [good.id], 'the handler only ever sees the valid event');
    assert.equal(letters.map((l) => l.body).sort(), [...raws].sort(), 'bodies kept as they arrived');
    for (const letter of letters) {
      assert.is(letter.reason.code, 'INVALID_EVENT', letter.body);
      assert.ok(letter.reason.message.length > 0, 'a reason is given');
      assert.is(letter.attempts, 1, 'dead-lettered at once');
      assert.is(letter.topic, topic);
    }
  });

  if (!skip['non-retriable']) s('dead-letters a non-retriable failure at once', async (ctx) => {
    const topic = await ctx.fixture.newTopic('fatal');
    const invalid = sampleEvent('invalid');
    const buggy = sampleEvent('buggy');
    const good = sampleEvent('good');
    const inbox = await consumeWith(ctx, topic, ({ event }) => {
      if (event.id === invalid.id) throw badInput('owner is missing (contract)');
      // kafkajs stops a consumer for good on a thrown TypeError (DESIGN §4): it must not escape.
      if (event.id === buggy.id) throw new TypeError('cannot read properties of undefined (contract)');
    });
    for (const e of [invalid, buggy, good]) await ctx.fixture.bus.publish(topic, e);
    const letters = await collectDeadLetters(ctx, topic, 2);
    await inbox.until((items) => idsOf(items).includes(good.id), 'the good message', ctx.timeoutMs);
    const byMessage = new Map(letters.map((l) => [l.reason.message, l]));
    assert.is(byMessage.get('owner is missing (contract)')?.reason.code, 'INVALID_INPUT');
    assert.is(byMessage.get('cannot read properties of undefined (contract)')?.reason.code, 'INTERNAL');
    for (const letter of letters) assert.is(letter.attempts, 1, `${letter.reason.message}: dead-lettered at once`);
    assert.is(inbox.items.filter((s) => s.event.id === invalid.id).length, 1);
    assert.is(inbox.items.filter((s) => s.event.id === buggy.id).length, 1);
  });

  s.run();
}
