import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError } from '../errors.js';
import { EventType } from './envelope.js';
import { createEvent, serviceSource } from './create-event.js';
import { exampleData } from './event-examples.js';
import type { EventData } from './payloads.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.unreachable('expected a throw');
}

const create = suite('createEvent');

create('is a function', () => {
  assert.type(createEvent, 'function');
});

create('fills every attribute DESIGN §3 asks for', () => {
  const before = Date.now();
  const event = createEvent(EventType.jobStarted, exampleData[EventType.jobStarted], { source: serviceSource('zipper') });
  assert.is(event.specversion, '1.0');
  assert.match(event.id, UUID);
  assert.is(event.source, '/artifact-pipeline/zipper');
  assert.is(event.type, EventType.jobStarted);
  assert.ok(Date.parse(event.time) >= before - 1 && Date.parse(event.time) <= Date.now());
  assert.is(event.time, new Date(event.time).toISOString());
  assert.is(event.datacontenttype, 'application/json');
  assert.is(event.dataschema, 'https://artifact-pipeline.dev/schemas/job.started.v1.json');
  assert.is(event.subject, exampleData[EventType.jobStarted].jobId);
  assert.is(event.partitionkey, exampleData[EventType.jobStarted].jobId);
  assert.equal(event.data, exampleData[EventType.jobStarted]);
});

create('takes id, time, subject and the extensions from the options', () => {
  const event = createEvent(EventType.zipRequested, exampleData[EventType.zipRequested], {
    source: '/artifact-pipeline/ingest',
    id: 'fixed-id',
    time: '2025-03-14T09:30:00.000Z',
    subject: 'custom-subject',
    traceparent: TRACEPARENT,
    tracestate: 'congo=t61rcWkgMzE',
    idempotencykey: 'order-4711',
  });
  assert.is(event.id, 'fixed-id');
  assert.is(event.time, '2025-03-14T09:30:00.000Z');
  assert.is(event.subject, 'custom-subject');
  assert.is(event.partitionkey, exampleData[EventType.zipRequested].jobId);
  assert.is(event.traceparent, TRACEPARENT);
  assert.is(event.tracestate, 'congo=t61rcWkgMzE');
  assert.is(event.idempotencykey, 'order-4711');
});

create('an object.created event has no job, so no subject or partition key', () => {
  const event = createEvent(EventType.objectCreated, exampleData[EventType.objectCreated], { source: '/artifact-pipeline/ingest' });
  assert.not.ok('subject' in event);
  assert.not.ok('partitionkey' in event);
  assert.not.ok('traceparent' in event);
});

create('gives every event its own id', () => {
  const data = exampleData[EventType.jobProgressed];
  const ids = new Set(Array.from({ length: 50 }, () => createEvent(EventType.jobProgressed, data, { source: '/s' }).id));
  assert.is(ids.size, 50);
});

create('invalid data is a programming error: INVALID_EVENT, not retriable, naming the field', () => {
  const data = { ...exampleData[EventType.jobFailed], attempt: 'first' } as unknown as EventData<typeof EventType.jobFailed>;
  const err = thrown(() => createEvent(EventType.jobFailed, data, { source: '/artifact-pipeline/zipper' }));
  assert.ok(isPipelineError(err));
  assert.is(err.code, ErrorCode.INVALID_EVENT);
  assert.is(err.retriable, false);
  assert.match(err.message, /^createEvent\(io\.artifactpipeline\.job\.failed\.v1\): data\.attempt: expected integer/);
  assert.equal(err.context.errors, ['data.attempt: expected integer']);
});

create('invalid options are refused the same way', () => {
  const err = thrown(() =>
    createEvent(EventType.jobStarted, exampleData[EventType.jobStarted], { source: '', traceparent: 'nope' }),
  );
  assert.ok(isPipelineError(err));
  assert.is(err.code, ErrorCode.INVALID_EVENT);
  assert.equal(err.context.errors, [
    'source: must not be empty',
    'traceparent: expected a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>) (got nope)',
  ]);
});

create.run();
