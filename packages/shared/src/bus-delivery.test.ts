import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, PipelineError, badInput } from './errors.js';
import { decideOutcome, deliver, parseJsonBody, traceCarrier } from './bus-delivery.js';
import type { Delivery } from './ports/bus.js';

const retriable = new PipelineError('busy', { code: ErrorCode.THROTTLED, retriable: true });
const ctx = (attempt: number, extra: Partial<Parameters<typeof decideOutcome>[1]> = {}) => ({
  attempt,
  maxAttempts: 3,
  aborted: false,
  backoff: { baseMs: 100, maxMs: 1_000, jitter: 'none' as const },
  ...extra,
});

const Decide = suite('decideOutcome');

Decide('acks a success', () => {
  assert.equal(decideOutcome({ ok: true }, ctx(1)), { kind: 'ack' });
});

Decide('retries a retriable failure with the backoff of its attempt', () => {
  const first = decideOutcome({ ok: false, error: retriable }, ctx(1));
  const second = decideOutcome({ ok: false, error: retriable }, ctx(2));
  assert.equal([first.kind, second.kind], ['retry', 'retry']);
  assert.is(first.kind === 'retry' && first.delayMs, 100);
  assert.is(second.kind === 'retry' && second.delayMs, 200);
});

Decide('dead-letters the last attempt with the last error', () => {
  const out = decideOutcome({ ok: false, error: retriable }, ctx(3));
  assert.is(out.kind, 'dead-letter');
  assert.equal(out.kind === 'dead-letter' && out.reason, { code: 'THROTTLED', message: 'busy' });
});

Decide('dead-letters bad input and unknown throws at once', () => {
  const bad = decideOutcome({ ok: false, error: badInput('no owner') }, ctx(1));
  assert.equal(bad.kind === 'dead-letter' && bad.reason, { code: 'INVALID_INPUT', message: 'no owner' });
  const bug = decideOutcome({ ok: false, error: new TypeError('x is undefined') }, ctx(1));
  assert.equal(bug.kind === 'dead-letter' && bug.reason, { code: 'INTERNAL', message: 'x is undefined' });
  const str = decideOutcome({ ok: false, error: 'thrown string' }, ctx(1));
  assert.equal(str.kind === 'dead-letter' && str.reason, { code: 'INTERNAL', message: 'thrown string' });
});

Decide('retries transient SDK errors by their code', () => {
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  assert.is(decideOutcome({ ok: false, error: reset }, ctx(1)).kind, 'retry');
});

Decide('releases aborted work whatever the handler did', () => {
  assert.equal(decideOutcome({ ok: true }, ctx(1, { aborted: true })), { kind: 'release' });
  assert.equal(decideOutcome({ ok: false, error: badInput('x') }, ctx(3, { aborted: true })), { kind: 'release' });
});

Decide.run();

const ParseJson = suite('parseJsonBody');

ParseJson('parses JSON and rejects the rest as INVALID_EVENT, not retriable', () => {
  assert.equal(parseJsonBody('{"a":[1]}'), { a: [1] });
  try {
    parseJsonBody('{nope');
    assert.unreachable('should throw');
  } catch (err) {
    assert.is((err as PipelineError).code, 'INVALID_EVENT');
    assert.is((err as PipelineError).retriable, false);
  }
});

ParseJson.run();

const Carrier = suite('traceCarrier');

Carrier('prefers the per-hop context and falls back to the event extension', () => {
  const hop = { traceparent: '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01' };
  const event = { traceparent: '00-cccccccccccccccccccccccccccccccc-dddddddddddddddd-01', tracestate: 'x=1' };
  assert.is(traceCarrier(hop, event).traceparent, hop.traceparent);
  assert.is(traceCarrier(hop, event).tracestate, undefined, 'never mixes one hop’s traceparent with another’s tracestate');
  assert.equal(traceCarrier({}, event), event);
});

Carrier.run();

const Deliver = suite('deliver');

const delivery = (attempt = 1, signal = new AbortController().signal): Delivery => ({
  topic: 't',
  attempt,
  maxAttempts: 3,
  signal,
  messageId: 'm1',
});
const base = { carrier: () => ({}), spanName: 'process t', attributes: {} };

Deliver('runs the handler on the decoded value and acks', async () => {
  const seen: unknown[] = [];
  const out = await deliver({ ...base, decode: () => 42, handler: async (v) => void seen.push(v), delivery: delivery() });
  assert.equal(out, { kind: 'ack' });
  assert.equal(seen, [42]);
});

Deliver('a decoding failure never reaches the handler and is dead-lettered', async () => {
  let called = false;
  const out = await deliver({
    ...base,
    decode: () => parseJsonBody('<xml/>'),
    handler: async () => void (called = true),
    delivery: delivery(),
  });
  assert.is(out.kind, 'dead-letter');
  assert.is(called, false);
});

Deliver('a handler that resolves after its signal fired is released, not acked', async () => {
  const controller = new AbortController();
  const out = await deliver({
    ...base,
    decode: () => 1,
    handler: async () => void controller.abort(),
    delivery: delivery(1, controller.signal),
  });
  assert.equal(out, { kind: 'release' });
});

Deliver.run();
