import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CloudEvent, Kafka } from 'cloudevents';
import { fromKafkaMessage, toKafkaMessage, type KafkaInboundMessage } from './codec-kafka.js';
import { toSqsBody } from './codec-sqs.js';
import { TRACEPARENT, firstReason, fullEvents, invalidEventFrom } from './codec-test-support.js';

/** What kafkajs hands a consumer: value and header values as Buffers. */
function asConsumed(message: { key: string; value: string; headers: Record<string, string> }): KafkaInboundMessage {
  return {
    value: Buffer.from(message.value),
    headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

const encode = suite('toKafkaMessage');

encode('is a function', () => {
  assert.type(toKafkaMessage, 'function');
});

encode('binary mode: ce_ headers, content-type, JSON value, key = job id', () => {
  const event = fullEvents()[1]!; // zip.requested
  const message = toKafkaMessage(event);
  assert.is(message.key, event.partitionkey);
  assert.equal(JSON.parse(message.value), event.data);
  assert.is(message.headers['content-type'], 'application/json');
  assert.is(message.headers.ce_specversion, '1.0');
  assert.is(message.headers.ce_id, event.id);
  assert.is(message.headers.ce_type, event.type);
  assert.is(message.headers.ce_time, event.time);
  assert.is(message.headers.ce_traceparent, TRACEPARENT);
  // datacontenttype travels as content-type only (Kafka binding §3.2.3); no plain traceparent here.
  assert.not.ok('ce_datacontenttype' in message.headers);
  assert.not.ok('traceparent' in message.headers);
  for (const [name, value] of Object.entries(message.headers)) assert.type(value, 'string', name);
});

encode('an event without a job falls back to subject, then id, for the key', () => {
  const created = fullEvents()[0]!;
  assert.is(toKafkaMessage(created).key, created.subject);
  const { subject: _s, ...bare } = created;
  assert.is(toKafkaMessage(bare).key, created.id);
});

encode.run();

const decode = suite('fromKafkaMessage');

decode('round-trips every type with every attribute and extension (Buffer and string headers)', () => {
  for (const event of fullEvents()) {
    const message = toKafkaMessage(event);
    assert.equal(fromKafkaMessage(asConsumed(message)), event, event.type);
    assert.equal(fromKafkaMessage(message), event, `${event.type} (strings)`);
  }
});

decode('accepts structured mode (application/cloudevents+json)', () => {
  for (const event of fullEvents()) {
    const message = { value: toSqsBody(event), headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' } };
    assert.equal(fromKafkaMessage(message), event, event.type);
  }
});

decode('reads what the cloudevents package itself writes in structured mode', () => {
  const event = fullEvents()[2]!;
  const written = Kafka.structured(new CloudEvent({ ...event }));
  const headers = Object.fromEntries(Object.entries(written.headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  assert.equal(fromKafkaMessage({ value: String(written.value), headers }), event);
});

decode('per-hop trace headers stay apart from the ce_traceparent extension', () => {
  const event = fullEvents()[3]!;
  const message = toKafkaMessage(event);
  const hop = '00-11111111111111111111111111111111-2222222222222222-01';
  const decoded = fromKafkaMessage({ ...message, headers: { ...message.headers, traceparent: hop, tracestate: 'hop=1' } });
  assert.is(decoded.traceparent, TRACEPARENT);
  const { ce_traceparent: _t, ce_tracestate: _s, ...noExtension } = message.headers;
  const plain = fromKafkaMessage({ ...message, headers: { ...noExtension, traceparent: hop } });
  assert.not.ok('traceparent' in plain);
});

decode('the message key is transport only: it never invents a partitionkey', () => {
  const created = fullEvents()[0]!; // no partitionkey; the key falls back to the subject
  const message = toKafkaMessage(created);
  assert.not.ok('partitionkey' in fromKafkaMessage({ ...message, key: Buffer.from(message.key) } as KafkaInboundMessage));
});

decode('binary mode without ce_specversion', () => {
  const { ce_specversion: _v, ...headers } = toKafkaMessage(fullEvents()[1]!).headers;
  const err = invalidEventFrom(() => fromKafkaMessage({ value: '{}', headers }));
  assert.is(firstReason(err), 'specversion: is required');
});

decode('no ce_ headers and no CloudEvents content type: not a CloudEvent', () => {
  const err = invalidEventFrom(() => fromKafkaMessage({ value: '{"hello":1}', headers: { 'content-type': 'application/json' } }));
  assert.match(firstReason(err), /^not a CloudEvent: no ce_\* headers/);
  assert.match(firstReason(invalidEventFrom(() => fromKafkaMessage({ value: '{}' }))), /^not a CloudEvent/);
});

decode('an empty or non-JSON value', () => {
  const message = toKafkaMessage(fullEvents()[1]!);
  assert.match(firstReason(invalidEventFrom(() => fromKafkaMessage({ ...message, value: null }))), /^value: is empty/);
  assert.match(firstReason(invalidEventFrom(() => fromKafkaMessage({ ...message, value: 'zip it' }))), /^value: not JSON/);
  const structured = { 'content-type': 'application/cloudevents+json' };
  assert.match(firstReason(invalidEventFrom(() => fromKafkaMessage({ value: '{oops', headers: structured }))), /^value: not JSON/);
});

decode('structured mode without time is INVALID_EVENT, not a RangeError', () => {
  const body = JSON.parse(toSqsBody(fullEvents()[1]!)) as Record<string, unknown>;
  delete body.time;
  const err = invalidEventFrom(() =>
    fromKafkaMessage({ value: JSON.stringify(body), headers: { 'content-type': 'application/cloudevents+json' } }),
  );
  assert.equal(err.context.errors, ['time: is required']);
});

decode('bad data, unknown type, batches and other formats are refused with the reason', () => {
  const message = toKafkaMessage(fullEvents()[5]!); // job.completed
  const badData = { ...message, value: JSON.stringify({ ...JSON.parse(message.value), downloadUrl: 'nope' }) };
  assert.is(firstReason(invalidEventFrom(() => fromKafkaMessage(badData))), 'data.downloadUrl: expected uri string');
  const unknown = { ...message, headers: { ...message.headers, ce_type: 'com.example.other' } };
  assert.is(firstReason(invalidEventFrom(() => fromKafkaMessage(unknown))), 'type: unknown event type com.example.other');
  const batch = { value: '[]', headers: { 'content-type': 'application/cloudevents-batch+json' } };
  assert.match(firstReason(invalidEventFrom(() => fromKafkaMessage(batch))), /batched events .* are not accepted/);
  const avro = { value: 'x', headers: { 'content-type': 'application/cloudevents+avro' } };
  assert.match(firstReason(invalidEventFrom(() => fromKafkaMessage(avro))), /event format "application\/cloudevents\+avro" is not supported/);
});

decode('a ce_ header repeated with different values is ambiguous', () => {
  const message = toKafkaMessage(fullEvents()[1]!);
  const headers = { ...message.headers, ce_id: [Buffer.from('a'), Buffer.from('b')] };
  assert.match(firstReason(invalidEventFrom(() => fromKafkaMessage({ ...message, headers }))), /^header ce_id: given more than once/);
  const same = { ...message.headers, ce_id: [message.headers.ce_id!, message.headers.ce_id!] };
  assert.is(fromKafkaMessage({ ...message, headers: same }).id, message.headers.ce_id);
});

decode.run();
