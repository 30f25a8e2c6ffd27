import { EventEmitter } from 'node:events';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor, withDeadline } from '../../../test/harness/support.js';
import { silentLogger } from './logger.js';
import { onShutdown } from './shutdown.js';

interface Ctx { signals: EventEmitter; exits: number[] }

const shutdown = suite<Ctx>('onShutdown', {} as Ctx);

shutdown.before.each((ctx) => {
  ctx.signals = new EventEmitter();
  ctx.exits = [];
});

function make(ctx: Ctx, graceMs = 5_000) {
  return onShutdown({ logger: silentLogger(), graceMs, source: ctx.signals, exit: (code) => { ctx.exits.push(code); } });
}

shutdown('is a function returning add, trigger and dispose', (ctx) => {
  const s = make(ctx);
  assert.type(s.add, 'function');
  assert.type(s.trigger, 'function');
  s.dispose();
});

shutdown('SIGTERM runs the hooks in reverse order of registration, then exits 0', async (ctx) => {
  const s = make(ctx);
  const ran: string[] = [];
  for (const name of ['redis', 'bus', 'http']) s.add(name, async () => { ran.push(name); });
  ctx.signals.emit('SIGTERM', 'SIGTERM');
  await withDeadline(s.trigger('already running'), 5_000, 'the shutdown');
  assert.equal(ran, ['http', 'bus', 'redis']);
  assert.equal(ctx.exits, [0]);
  s.dispose();
});

shutdown('each hook gets the time left of the grace period', async (ctx) => {
  const s = make(ctx, 10_000);
  const given: number[] = [];
  s.add('second', async (remainingMs) => { given.push(remainingMs); });
  s.add('first', async (remainingMs) => { given.push(remainingMs); await new Promise((r) => setTimeout(r, 20)); });
  await withDeadline(s.trigger('test'), 5_000, 'the shutdown');
  assert.ok(given[0]! <= 10_000 && given[0]! > 9_000, `first got ${given[0]}`);
  assert.ok(given[1]! < given[0]!, 'the second hook gets less time than the first');
  s.dispose();
});

shutdown('a throwing hook does not stop the others, and the exit code is 1', async (ctx) => {
  const s = make(ctx);
  const ran: string[] = [];
  s.add('redis', async () => { ran.push('redis'); });
  s.add('bus', async () => { throw new Error('bus would not close'); });
  s.add('http', async () => { ran.push('http'); });
  await withDeadline(s.trigger('test'), 5_000, 'the shutdown');
  assert.equal(ran, ['http', 'redis']);
  assert.equal(ctx.exits, [1]);
  s.dispose();
});

shutdown('a hook still running when the grace period ends makes it exit 1', async (ctx) => {
  const s = make(ctx, 50);
  let later = false;
  s.add('later', async () => { later = true; });
  s.add('stuck', () => new Promise<void>(() => undefined));
  await withDeadline(s.trigger('test'), 5_000, 'the shutdown');
  assert.equal(ctx.exits, [1]);
  assert.not.ok(later, 'no hook starts after the grace period');
  s.dispose();
});

shutdown('a second signal exits at once with 1; trigger twice runs the hooks once', async (ctx) => {
  const s = make(ctx);
  let runs = 0;
  let release!: () => void;
  s.add('slow', () => { runs++; return new Promise<void>((r) => { release = r; }); });
  const first = s.trigger('first');
  const again = s.trigger('again');
  assert.is(first, again);
  await waitFor(() => runs === 1, 'the slow hook to start', { timeoutMs: 5_000 });
  ctx.signals.emit('SIGINT', 'SIGINT');
  assert.equal(ctx.exits, [1]);
  release();
  await withDeadline(first, 5_000, 'the shutdown');
  assert.is(runs, 1);
  s.dispose();
});

shutdown('dispose stops listening for signals', (ctx) => {
  const s = make(ctx);
  s.dispose();
  assert.is(ctx.signals.listenerCount('SIGTERM'), 0);
  assert.is(ctx.signals.listenerCount('SIGINT'), 0);
});

shutdown.run();
