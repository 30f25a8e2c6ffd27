import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError, type PipelineError } from '../errors.js';
import { EventType } from './envelope.js';
import { createEvent } from './create-event.js';
import { exampleData } from './event-examples.js';
import { parseEvent } from './parse-event.js';

function valid(type: EventType = EventType.zipRequested): Record<string, unknown> {
  const event = createEvent(type, exampleData[type] as never, {
    source: '/artifact-pipeline/ingest',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    tracestate: 'rojo=00f067aa0ba902b7',
    idempotencykey: 'k-1',
  });
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
}

function rejection(input: unknown, options?: { allowMissingJobId: boolean }): PipelineError {
  try {
    if (options) parseEvent(input, options);
    else parseEvent(input);
  } catch (err) {
    assert.ok(isPipelineError(err), 'a PipelineError');
    assert.is(err.code, ErrorCode.INVALID_EVENT);
    assert.is(err.retriable, false);
    return err;
  }
  return assert.unreachable('expected INVALID_EVENT') as never;
}

const parse = suite('parseEvent');

parse('is a function', () => {
  assert.type(parseEvent, 'function');
});

parse('returns a valid event of every type unchanged', () => {
  for (const type of Object.values(EventType)) {
    const input = valid(type);
    assert.equal(parseEvent(input), input, type);
  }
});

parse('names the first problems in the message and keeps them all in context.errors', () => {
  const err = rejection({ ...valid(), id: '', time: 'yesterday', data: { ...exampleData[EventType.zipRequested], source: { bucket: 'uploads', prefix: 1 } } });
  assert.is(
    err.message,
    'invalid event: id: must not be empty; time: expected an RFC 3339 date-time (got yesterday); data.source.prefix: expected string',
  );
  assert.equal(err.context.errors, [
    'id: must not be empty',
    'time: expected an RFC 3339 date-time (got yesterday)',
    'data.source.prefix: expected string',
  ]);
  assert.is(err.context.type, EventType.zipRequested);
});

parse('missing or wrong specversion', () => {
  const { specversion: _s, ...missing } = valid();
  assert.equal(rejection(missing).context.errors, ['specversion: is required']);
  assert.equal(rejection({ ...valid(), specversion: '0.3' }).context.errors, ['specversion: expected "1.0" (got 0.3)']);
});

parse('unknown type', () => {
  const err = rejection({ ...valid(), type: 'com.example.thing.v1' });
  assert.equal(err.context.errors, ['type: unknown event type com.example.thing.v1']);
});

parse('time is required and must be RFC 3339 with a zone', () => {
  const { time: _t, ...missing } = valid();
  assert.equal(rejection(missing).context.errors, ['time: is required']);
  assert.equal(rejection({ ...valid(), time: '2025-03-14 09:30:00' }).context.errors, [
    'time: expected an RFC 3339 date-time (got 2025-03-14 09:30:00)',
  ]);
  assert.equal(rejection({ ...valid(), time: '2025-02-30T09:30:00Z' }).context.errors, [
    'time: expected an RFC 3339 date-time (got 2025-02-30T09:30:00Z)',
  ]);
  assert.is(parseEvent({ ...valid(), time: '2025-03-14T09:30:00.123456+01:00' }).time, '2025-03-14T09:30:00.123456+01:00');
});

parse('not an object at all', () => {
  assert.equal(rejection('{"specversion":"1.0"}').context.errors, ['event: expected a JSON object (got string)']);
  assert.equal(rejection([valid()]).context.errors, ['event: expected a JSON object (got an array)']);
  assert.equal(rejection(null).context.errors, ['event: expected a JSON object (got object)']);
});

parse('an empty object lists every missing attribute', () => {
  assert.equal(rejection({}).context.errors, [
    'specversion: is required',
    'id: is required',
    'source: is required',
    'time: is required',
    'type: is required',
    'data: is required',
  ]);
});

parse('datacontenttype may be absent or JSON with parameters, nothing else', () => {
  const { datacontenttype: _d, ...absent } = valid();
  assert.is(parseEvent(absent).datacontenttype, 'application/json');
  assert.is(parseEvent({ ...valid(), datacontenttype: 'application/json; charset=utf-8' }).datacontenttype, 'application/json');
  assert.equal(rejection({ ...valid(), datacontenttype: 'text/csv' }).context.errors, [
    'datacontenttype: expected application/json (got text/csv)',
  ]);
});

parse('binary data is refused', () => {
  const { data: _d, ...rest } = valid();
  assert.equal(rejection({ ...rest, data_base64: 'AAEC' }).context.errors, [
    'data_base64: binary data is not accepted; send JSON data',
    'data: is required',
  ]);
});

parse('foreign extensions are checked, then dropped', () => {
  const event = parseEvent({ ...valid(), comexamplefoo: 'bar', sampled: true });
  assert.not.ok('comexamplefoo' in event);
  assert.not.ok('sampled' in event);
  assert.equal(rejection({ ...valid(), 'Bad-Name': 'x' }).context.errors, [
    'Bad-Name: not a valid CloudEvents attribute name (lower-case letters and digits only)',
  ]);
  assert.equal(rejection({ ...valid(), nested: { a: 1 } }).context.errors, [
    'nested: extension values must be strings, numbers or booleans',
  ]);
});

parse('extension attributes are checked', () => {
  assert.equal(rejection({ ...valid(), traceparent: '00-xyz' }).context.errors, [
    'traceparent: expected a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>) (got 00-xyz)',
  ]);
  assert.equal(rejection({ ...valid(), idempotencykey: 'k'.repeat(256) }).context.errors, [
    'idempotencykey: longer than 255 characters',
  ]);
  assert.equal(rejection({ ...valid(), dataschema: 'not a uri' }).context.errors, [
    'dataschema: expected an absolute URI (got not a uri)',
  ]);
});

parse('keeps at most 10 problems', () => {
  const data = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i]));
  const err = rejection({ ...valid(), data });
  assert.is((err.context.errors as string[]).length, 10);
  assert.match(err.message, /\(and 7 more\)$/);
});

parse('allowMissingJobId accepts inbound commands without a job id, and nothing else', () => {
  const { jobId: _j, ...draft } = exampleData[EventType.zipRequested];
  const input = { ...valid(), data: draft };
  assert.equal(rejection(input).context.errors, ['data.jobId: is required']);
  assert.equal(parseEvent(input, { allowMissingJobId: true }).data, draft);
  const { owner: _o, ...ownerless } = draft;
  assert.equal(rejection({ ...input, data: ownerless }, { allowMissingJobId: true }).context.errors, [
    'data.owner: is required',
  ]);
  const { jobId: _k, ...started } = exampleData[EventType.jobStarted];
  assert.equal(rejection({ ...valid(EventType.jobStarted), data: started }, { allowMissingJobId: true }).context.errors, [
    'data.jobId: is required',
  ]);
});

parse.run();
