import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createInFlight, createSlots } from './bus-delivery-slots.js';

const Slots = suite('createSlots');

Slots('counts slots and wakes a waiter when one is given back', async () => {
  const slots = createSlots(2);
  const a = slots.take();
  slots.take();
  assert.equal([slots.busy, slots.free], [2, 0]);
  assert.throws(() => slots.take(), /no free slot/);
  let woke = false;
  const waiting = slots.whenFree().then(() => (woke = true));
  await Promise.resolve();
  assert.is(woke, false, 'still full');
  a();
  a(); // giving back twice frees one slot only
  await waiting;
  assert.equal([slots.busy, slots.free], [1, 1]);
});

Slots('whenFree resolves when its signal fires', async () => {
  const slots = createSlots(1);
  slots.take();
  const controller = new AbortController();
  const waiting = slots.whenFree(controller.signal);
  controller.abort();
  await waiting;
});

Slots('rejects a limit below 1', () => {
  assert.throws(() => createSlots(0), (err: { code?: string }) => err.code === 'INVALID_CONFIG');
  assert.throws(() => createSlots(1.5), (err: { code?: string }) => err.code === 'INVALID_CONFIG');
});

Slots.run();

const InFlight = suite('createInFlight');

InFlight('drain waits for work that finishes and aborts nothing', async () => {
  const inFlight = createInFlight();
  let finish!: () => void;
  let signal!: AbortSignal;
  const gaveBack: string[] = [];
  void inFlight.run(
    (w) => {
      signal = w.signal;
      return new Promise<void>((resolve) => (finish = resolve));
    },
    async () => void gaveBack.push('a'),
  );
  assert.is(inFlight.size, 1);
  const draining = inFlight.drain(10_000);
  finish();
  await draining;
  assert.is(signal.aborted, false);
  assert.equal(gaveBack, []);
  assert.is(inFlight.size, 0);
});

InFlight('drain aborts at the deadline; work that honours it gives back itself', async () => {
  const inFlight = createInFlight();
  const gaveBack: string[] = [];
  void inFlight.run(
    (w) => new Promise<void>((resolve) => w.signal.addEventListener('abort', () => resolve())),
    async () => void gaveBack.push('a'),
  );
  await inFlight.drain(10, 10_000);
  assert.equal(gaveBack, [], 'the work settled within the grace period');
  assert.is(inFlight.size, 0);
});

InFlight('drain gives back work that ignores its signal past the grace period', async () => {
  const inFlight = createInFlight();
  const gaveBack: string[] = [];
  let view!: { givenBack: boolean };
  void inFlight.run(
    (w) => {
      view = w;
      return new Promise<void>(() => {});
    },
    async () => void gaveBack.push('stuck'),
  );
  await inFlight.drain(10, 10);
  assert.equal(gaveBack, ['stuck']);
  assert.is(view.givenBack, true, 'the late result will be ignored');
});

InFlight.run();
