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

  if (!skip.stop) s('stop(deadline) waits for handlers, then gives back what it aborted', async (ctx) => {
    const { bus } = ctx.fixture;
    const topic = await ctx.fixture.newTopic('stop');
    const group = uniqueName('group');
    const finishing = sampleEvent('finishing'); // completes once stop has been called
    const resolving = sampleEvent('resolving'); // returns normally after its signal aborts
    const throwing = sampleEvent('throwing'); // throws the abort reason
    const release = gate();
    const started = createInbox<Seen>();
    let finishedBeforeStopReturned = false;
    const sub = await bus.consume(
      topic,
      async (event, delivery) => {
        started.push({ event, delivery });
        if (event.id === finishing.id) {
          await release.promise;
          finishedBeforeStopReturned = true;
        } else if (event.id === resolving.id) {
          await aborted(delivery.signal);
        } else if (event.id === throwing.id) {
          await aborted(delivery.signal);
          throw delivery.signal.reason;
        }
      },
      { concurrency: 3, group },
    );
    ctx.subscriptions.push(sub);
    for (const e of [finishing, resolving, throwing]) await bus.publish(topic, e);
    await started.until((items) => items.length >= 3, 'three handlers to start', ctx.timeoutMs);

    const stopping = sub.stop(1_500);
    release.open();
    await withDeadline(stopping, ctx.timeoutMs, 'stop(1500) to return');
    assert.ok(finishedBeforeStopReturned, 'stop waited for the handler that could finish');
    const signals = new Map(started.items.map((s) => [s.event.id, s.delivery.signal.aborted]));
    assert.is(signals.get(finishing.id), false, 'the finished handler was not aborted');
    assert.is(signals.get(resolving.id), true);
    assert.is(signals.get(throwing.id), true);

    // The next consumer of the group gets the two aborted messages back, not the acked one.
    const sentinel = sampleEvent('sentinel');
    const next = createInbox<Seen>();
    ctx.subscriptions.push(
      await bus.consume(topic, async (event, delivery) => next.push({ event, delivery }), { concurrency: 3, group }),
    );
    await bus.publish(topic, sentinel);
    const want = [resolving.id, throwing.id, sentinel.id];
    await next.until((items) => want.every((id) => idsOf(items).includes(id)), 'the aborted messages to come back', ctx.redeliveryTimeoutMs);
    assert.not.ok(idsOf(next.items).includes(finishing.id), 'the finished message was acked');
    assert.equal(await bus.drainDeadLetters(topic), [], 'aborted work is not dead-lettered');
  });

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
