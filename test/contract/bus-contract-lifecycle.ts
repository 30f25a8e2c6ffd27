/**
 * Contract cases for the end of a consumer's life: stop(deadline) lets handlers finish,
 * then aborts the rest and gives their messages back; a consumer killed inside a handler
 * loses nothing either.
 */
import * as assert from 'uvu/assert';
import { uniqueName, withDeadline } from '../harness/support.js';
import { CHILD_EXIT_CODE } from './bus-contract-child.js';
import { aborted, caseSuite, createInbox, gate, idsOf, sampleEvent, type Seen } from './bus-contract-support.js';
import type { BusFixture, ContractOptions } from './bus-contract-types.js';

type MakeFixture = () => Promise<BusFixture>;

export function lifecycleCases(name: string, makeFixture: MakeFixture, options: ContractOptions): void {
  const skip = options.skip ?? {};
  const s = caseSuite(`${name} bus: Subscription.stop and crashes`, makeFixture, options);

  // One message per test: transports that run one handler per partition (Kafka) can pass too.
  if (!skip.stop) s('stop(deadline) waits for a handler that finishes, and acks its message', async (ctx) => {
    const { bus } = ctx.fixture;
    const topic = await ctx.fixture.newTopic('stop-wait');
    const group = uniqueName('group');
    const finishing = sampleEvent('finishing');
    const release = gate();
    const started = createInbox<Seen>();
    let finished = false;
    const sub = await bus.consume(
      topic,
      async (event, delivery) => {
        started.push({ event, delivery });
        await release.promise;
        finished = true;
      },
      { group },
    );
    ctx.subscriptions.push(sub);
    await bus.publish(topic, finishing);
    await started.until((items) => items.length >= 1, 'the handler to start', ctx.timeoutMs);
    const stopping = sub.stop(ctx.timeoutMs);
    release.open(); // only now can the handler finish: stop must have waited for it
    await withDeadline(stopping, ctx.timeoutMs * 2, 'stop to return');
    assert.ok(finished, 'stop returned after the handler finished');
    assert.is(started.items[0]!.delivery.signal.aborted, false, 'a handler that finished in time is not aborted');

    // The next consumer of the group gets what comes next, not the acked message again.
    const sentinel = sampleEvent('sentinel');
    const next = createInbox<Seen>();
    ctx.subscriptions.push(await bus.consume(topic, async (event, delivery) => next.push({ event, delivery }), { group }));
    await bus.publish(topic, sentinel);
    await next.until((items) => idsOf(items).includes(sentinel.id), 'the next message', ctx.redeliveryTimeoutMs);
    assert.not.ok(idsOf(next.items).includes(finishing.id), 'the finished message was acked');
  });

  for (const variant of ['returns', 'throws'] as const) {
    if (!skip.stop) s(`at the deadline stop aborts a handler that then ${variant}, and gives its message back`, async (ctx) => {
      const { bus } = ctx.fixture;
      const topic = await ctx.fixture.newTopic(`stop-${variant}`);
      const group = uniqueName('group');
      const stuck = sampleEvent('stuck');
      const started = createInbox<Seen>();
      const sub = await bus.consume(
        topic,
        async (event, delivery) => {
          started.push({ event, delivery });
          await aborted(delivery.signal);
          if (variant === 'throws') throw delivery.signal.reason;
        },
        { group },
      );
      ctx.subscriptions.push(sub);
      await bus.publish(topic, stuck);
      await started.until((items) => items.length >= 1, 'the handler to start', ctx.timeoutMs);
      await withDeadline(sub.stop(500), ctx.timeoutMs, 'stop(500) to return');
      assert.is(started.items[0]!.delivery.signal.aborted, true, 'the handler was told to give up');

      const next = createInbox<Seen>();
      ctx.subscriptions.push(await bus.consume(topic, async (event, delivery) => next.push({ event, delivery }), { group }));
      await next.until((items) => idsOf(items).includes(stuck.id), 'the aborted message to come back', ctx.redeliveryTimeoutMs);
      assert.equal(next.items[0]!.event, stuck, 'the same event, intact');
      assert.equal(await bus.drainDeadLetters(topic), [], 'aborted work is not dead-lettered');
    });
  }

  if (!skip.kill) s('a consumer killed inside its handler loses nothing', async (ctx) => {
    if (!ctx.fixture.spawnConsumer) {
      throw new Error(`${name}: the fixture has no spawnConsumer; pass skip.kill with the reason instead`);
    }
    const { bus } = ctx.fixture;
    const topic = await ctx.fixture.newTopic('kill');
    const group = uniqueName('group');
    const child = ctx.fixture.spawnConsumer(topic, { group });
    ctx.children.push(child);
    await withDeadline(child.ready, ctx.timeoutMs * 2, 'the child consumer to be ready');
    const victim = sampleEvent('victim');
    await bus.publish(topic, victim);
    const handling = await withDeadline(child.handling, ctx.timeoutMs * 2, 'the child to take the message');
    assert.is(handling.id, victim.id);
    assert.is(await withDeadline(child.exited, ctx.timeoutMs, 'the child to exit'), CHILD_EXIT_CODE, 'died inside the handler');

    const inbox = createInbox<Seen>();
    ctx.subscriptions.push(
      await bus.consume(topic, async (event, delivery) => inbox.push({ event, delivery }), { group }),
    );
    await inbox.until((items) => idsOf(items).includes(victim.id), 'the message to be redelivered', ctx.redeliveryTimeoutMs);
    assert.equal(inbox.items.find((s) => s.event.id === victim.id)?.event, victim, 'the same event, intact');
  });

  s.run();
}
