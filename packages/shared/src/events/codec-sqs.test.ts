import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventType } from './envelope.js';
import { fromSqsBody, toSqsBody } from './codec-sqs.js';
import { exampleData } from './event-examples.js';
import { firstReason, fullEvents, invalidEventFrom } from './codec-test-support.js';

const encode = suite('toSqsBody');

encode('is a function', () => {
  assert.type(toSqsBody, 'function');
});

encode('writes the whole event as one JSON object (structured mode), data last', () => {
  const [event] = fullEvents();
  const body = JSON.parse(toSqsBody(event!)) as Record<string, unknown>;
  assert.equal(body, JSON.parse(JSON.stringify(event)));
  assert.is(Object.keys(body).at(-1), 'data');
  assert.is(Object.keys(body)[0], 'specversion');
});

encode.run();

const decode = suite('fromSqsBody');

decode('round-trips every type with every attribute and extension', () => {
  for (const event of fullEvents()) {
    assert.equal(fromSqsBody(toSqsBody(event)), event, event.type);
  }
});

decode('a body that is not JSON', () => {
  const err = invalidEventFrom(() => fromSqsBody('<xml/>'));
  assert.match(firstReason(err), /^body: not JSON \(/);
  assert.is(firstReason(invalidEventFrom(() => fromSqsBody(''))), 'body: is empty');
});

decode('JSON that is not a CloudEvent (an S3 notification on the wrong queue)', () => {
  const s3 = JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' } } }] });
  const err = invalidEventFrom(() => fromSqsBody(s3));
  assert.is(firstReason(err), 'specversion: is required');
  assert.ok((err.context.errors as string[]).includes('type: is required'));
  assert.match(firstReason(invalidEventFrom(() => fromSqsBody('42'))), /expected a CloudEvent JSON object \(got number\)/);
  assert.match(firstReason(invalidEventFrom(() => fromSqsBody('[]'))), /a JSON array is a batch/);
});

decode('missing specversion, unknown type, bad data', () => {
  const [event] = fullEvents();
  const body = JSON.parse(toSqsBody(event!)) as Record<string, unknown>;
  const { specversion: _s, ...noVersion } = body;
  assert.equal(invalidEventFrom(() => fromSqsBody(JSON.stringify(noVersion))).context.errors, ['specversion: is required']);
  const unknown = { ...body, type: 'io.artifactpipeline.zip.requested.v9' };
  assert.equal(invalidEventFrom(() => fromSqsBody(JSON.stringify(unknown))).context.errors, [
    'type: unknown event type io.artifactpipeline.zip.requested.v9',
  ]);
  const bad = { ...body, data: { ...(body.data as object), size: -1 } };
  assert.equal(invalidEventFrom(() => fromSqsBody(JSON.stringify(bad))).context.errors, [
    'data.size: expected integer to be greater or equal to 0',
  ]);
});

decode('allowMissingJobId lets an inbound command through without its job id', () => {
  const { jobId: _j, ...draft } = exampleData[EventType.reportRequested];
  const body = JSON.stringify({
    specversion: '1.0',
    id: 'ext-1',
    source: 'urn:other-system',
    type: EventType.reportRequested,
    time: '2025-03-14T09:30:00Z',
    data: draft,
  });
  assert.is(firstReason(invalidEventFrom(() => fromSqsBody(body))), 'data.jobId: is required');
  assert.equal(fromSqsBody(body, { allowMissingJobId: true }).data, draft);
});

decode.run();
