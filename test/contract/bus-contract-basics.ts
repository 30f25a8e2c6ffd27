/**
 * Contract cases: the round trip (every CloudEvents attribute, per-hop trace context,
 * nothing lost before a consumer exists) and the concurrency limit.
 */
import * as assert from 'uvu/assert';
import { uniqueName, waitFor } from '../harness/support.js';
import { activeSpanIds, inTestSpan, installTestTracing } from './bus-contract-tracing.js';
import { ORIGIN_TRACE_ID, caseSuite, createInbox, idsOf, sampleEvent, type Seen } from './bus-contract-support.js';
import type { BusFixture, ContractOptions } from './bus-contract-types.js';

type MakeFixture = () => Promise<BusFixture>;

export function roundTripCase(name: string, makeFixture: MakeFixture, options: ContractOptions): void {
  const s = caseSuite(`${name} bus: publish/consume round trip`, makeFixture, options);

  s('the fixture is a Bus whose topics can be ensured twice', async ({ fixture }) => {
    for (const method of ['publish', 'consume', 'consumeRaw', 'drainDeadLetters', 'ensureTopic', 'ping', 'close'] as const) {
      assert.type(fixture.bus[method], 'function', method);
    }
    assert.ok(fixture.maxAttempts >= 3, 'maxAttempts >= 3 so the retry case can succeed on attempt 3');
    const topic = await fixture.newTopic('ensure');
    await fixture.bus.ensureTopic(topic);
    await fixture.bus.ping();
  });

  s('delivers every CloudEvents attribute and joins the publisher’s trace', async (ctx) => {
    installTestTracing();
    const { bus } = ctx.fixture;
    const topic = await ctx.fixture.newTopic('roundtrip');
    const inbox = createInbox<Seen & { span: ReturnType<typeof activeSpanIds> }>();
    ctx.subscriptions.push(
      await bus.consume(topic, async (event, delivery) => inbox.push({ event, delivery, span: activeSpanIds() }), {
        group: uniqueName('group'),
      }),
    );
    const sent = sampleEvent('roundtrip');
    const { traceId } = await inTestSpan('contract publish', () => bus.publish(topic, sent));

    const [got] = await inbox.until((items) => items.length >= 1, 'the event to arrive', ctx.timeoutMs);
    assert.equal(got!.event, sent, 'the event arrives exactly as published');
    assert.is(got!.delivery.topic, topic);
    assert.is(got!.delivery.attempt, 1);
    assert.is(got!.delivery.maxAttempts, ctx.fixture.maxAttempts);
    assert.type(got!.delivery.messageId, 'string');
    assert.ok(got!.delivery.messageId.length > 0, 'a transport message id');
    assert.is(got!.delivery.signal.aborted, false);
    // Per hop: the handler's span continues the publisher's trace (message attributes /
    // headers), not the originating trace named by the event's own traceparent extension.
    assert.ok(got!.span, 'the handler runs inside a span');
    assert.is.not(traceId, ORIGIN_TRACE_ID);
    assert.is(got!.span!.traceId, traceId, 'same trace id as the publishing span');
  });

  s('keeps what was published before anyone consumed', async (ctx) => {
    const { bus } = ctx.fixture;
    const topic = await ctx.fixture.newTopic('early');
    const first = sampleEvent('early-1');
    const second = sampleEvent('early-2');
    await bus.publish(topic, first);
    await bus.publish(topic, second);
    const inbox = createInbox<Seen>();
    ctx.subscriptions.push(
      await bus.consume(topic, async (event, delivery) => inbox.push({ event, delivery }), { group: uniqueName('group') }),
    );
    await inbox.until((items) => items.length >= 2, 'both early events to arrive', ctx.timeoutMs);
    assert.equal(idsOf(inbox.items).sort(), [first.id, second.id].sort());
  });

  s.run();
}

export function concurrencyCase(name: string, makeFixture: MakeFixture, options: ContractOptions): void {
  const s = caseSuite(`${name} bus: consume concurrency`, makeFixture, options);

  s('never runs more handlers at once than asked, and does run several', async (ctx) => {
    const { bus } = ctx.fixture;
    const topic = await ctx.fixture.newTopic('concurrency');
    const limit = 3;
    const events = Array.from({ length: 9 }, (_, i) => sampleEvent(`conc-${i}`));
    let active = 0;
    let peak = 0;
    let barrierOpen = false;
    const done = createInbox<string>();
    ctx.subscriptions.push(
      await bus.consume(
        topic,
        async (event) => {
          active++;
          peak = Math.max(peak, active);
          if (active >= limit) barrierOpen = true;
          try {
            // The first handlers wait (at most 3 s) until `limit` of them run together, so
            // a limiter that allows several at once shows it; afterwards each lingers a
            // moment so one that allows too many would let an extra handler in meanwhile.
            await waitFor(() => barrierOpen, 'the barrier', { timeoutMs: 3_000, intervalMs: 10 }).catch(() => {});
            await new Promise((resolve) => setTimeout(resolve, 50));
          } finally {
            active--;
          }
          done.push(event.id);
        },
        { concurrency: limit, group: uniqueName('group') },
      ),
    );
    await Promise.all(events.map((e) => bus.publish(topic, e)));
    await done.until((ids) => ids.length >= events.length, 'all events to be handled', ctx.timeoutMs * 2);
    assert.equal([...done.items].sort(), events.map((e) => e.id).sort(), 'each event handled once');
    assert.ok(peak <= limit, `at most ${limit} handlers at once, saw ${peak}`);
    assert.ok(peak > 1, `more than one handler at once, saw ${peak}`);
  });

  s.run();
}
