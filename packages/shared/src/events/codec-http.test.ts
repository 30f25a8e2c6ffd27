import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CloudEvent, HTTP } from 'cloudevents';
import { EventType } from './envelope.js';
import { exampleData } from './event-examples.js';
import { fromHttpRequest, toHttpRequest } from './codec-http.js';
import { firstReason, fullEvents, invalidEventFrom } from './codec-test-support.js';

const encode = suite('toHttpRequest');

encode('is a function', () => {
  assert.type(toHttpRequest, 'function');
});

encode('binary mode: ce- headers (percent-encoded per §3.1.3.2), JSON body', () => {
  const event = fullEvents()[1]!;
  const request = toHttpRequest(event, 'binary');
  assert.is(request.headers['content-type'], 'application/json; charset=utf-8');
  assert.is(request.headers['ce-id'], event.id);
  assert.is(request.headers['ce-time'], event.time);
  assert.is(request.headers['ce-tracestate'], 'rojo=00f067aa0ba902b7,%20congo=t61rcWkgMzE');
  assert.is(request.headers['ce-idempotencykey'], 'commande-%C3%A9t%C3%A9-4711');
  assert.equal(JSON.parse(request.body), event.data);
  // Every header value is sendable as-is: printable ASCII only.
  for (const value of Object.values(request.headers)) assert.match(value, /^[\x20-\x7e]*$/);
});

encode('structured mode: the event as application/cloudevents+json', () => {
  const event = fullEvents()[1]!;
  const request = toHttpRequest(event, 'structured');
  assert.is(request.headers['content-type'], 'application/cloudevents+json; charset=utf-8');
  assert.equal(JSON.parse(request.body), JSON.parse(JSON.stringify(event)));
});

encode.run();

const decode = suite('fromHttpRequest');

decode('round-trips every type in both modes, body as text, Buffer or parsed JSON', () => {
  for (const event of fullEvents()) {
    for (const mode of ['binary', 'structured'] as const) {
      const { headers, body } = toHttpRequest(event, mode);
      assert.equal(fromHttpRequest(headers, body), event, `${event.type} ${mode}`);
      assert.equal(fromHttpRequest(headers, Buffer.from(body)), event, `${event.type} ${mode} Buffer`);
      assert.equal(fromHttpRequest(headers, JSON.parse(body) as object), event, `${event.type} ${mode} parsed`);
    }
  }
});

decode('header names are case-insensitive; quoted and lower-case percent-encoded values decode', () => {
  const event = fullEvents()[3]!;
  const { headers, body } = toHttpRequest(event, 'binary');
  const shouted = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
  shouted['CE-TRACESTATE'] = '"rojo=00f067aa0ba902b7, congo=t61rcWkgMzE"';
  shouted['CE-IDEMPOTENCYKEY'] = 'commande-%c3%a9t%c3%a9-4711';
  assert.equal(fromHttpRequest(shouted, body), event);
});

decode('reads what the cloudevents package itself writes (structured)', () => {
  const event = fullEvents()[6]!;
  const written = HTTP.structured(new CloudEvent({ ...event }));
  assert.equal(fromHttpRequest(written.headers, String(written.body)), event);
});

decode('binary mode without Content-Type: the body is read as JSON, datacontenttype normalised', () => {
  const event = fullEvents()[1]!;
  const { headers, body } = toHttpRequest(event, 'binary');
  delete headers['content-type'];
  assert.equal(fromHttpRequest(headers, body), event);
  // Not JSON: named as such, not as a media-type problem.
  assert.match(firstReason(invalidEventFrom(() => fromHttpRequest(headers, 'hello'))), /^body: not JSON/);
});

decode('binary mode without ce-specversion', () => {
  const { headers, body } = toHttpRequest(fullEvents()[1]!, 'binary');
  delete headers['ce-specversion'];
  assert.equal(invalidEventFrom(() => fromHttpRequest(headers, body)).context.errors, ['specversion: is required']);
});

decode('a plain JSON POST is not a CloudEvent', () => {
  const err = invalidEventFrom(() => fromHttpRequest({ 'content-type': 'application/json' }, '{"jobId":"x"}'));
  assert.match(firstReason(err), /^not a CloudEvent: no ce-\* headers/);
});

decode('structured mode without time', () => {
  const { headers, body } = toHttpRequest(fullEvents()[1]!, 'structured');
  const event = JSON.parse(body) as Record<string, unknown>;
  delete event.time;
  assert.equal(invalidEventFrom(() => fromHttpRequest(headers, JSON.stringify(event))).context.errors, ['time: is required']);
});

decode('a batch is refused with a clear reason', () => {
  const { body } = toHttpRequest(fullEvents()[1]!, 'structured');
  const err = invalidEventFrom(() =>
    fromHttpRequest({ 'content-type': 'application/cloudevents-batch+json; charset=utf-8' }, `[${body}]`),
  );
  assert.is(firstReason(err), 'content-type: batched events (application/cloudevents-batch+json) are not accepted; send one event per message');
});

decode('not JSON, bad data, unknown type', () => {
  const { headers, body } = toHttpRequest(fullEvents()[2]!, 'binary');
  assert.match(firstReason(invalidEventFrom(() => fromHttpRequest(headers, 'rows,go,here'))), /^body: not JSON/);
  assert.match(
    firstReason(invalidEventFrom(() => fromHttpRequest({ 'content-type': 'application/cloudevents+json' }, '{"id":'))),
    /^body: not JSON/,
  );
  const data = { ...(JSON.parse(body) as object), format: 'docx' };
  assert.is(firstReason(invalidEventFrom(() => fromHttpRequest(headers, JSON.stringify(data)))), 'data.format: expected one of "xlsx", "pdf"');
  const other = { ...headers, 'ce-type': 'com.example.order.v1' };
  assert.is(firstReason(invalidEventFrom(() => fromHttpRequest(other, body))), 'type: unknown event type com.example.order.v1');
});

decode('broken percent-encoding or invalid UTF-8 in a header', () => {
  const { headers, body } = toHttpRequest(fullEvents()[1]!, 'binary');
  const overlong = { ...headers, 'ce-idempotencykey': 'a%C0%A0b' };
  assert.is(firstReason(invalidEventFrom(() => fromHttpRequest(overlong, body))), 'header ce-idempotencykey: invalid percent-encoding or UTF-8');
  const truncated = { ...headers, 'ce-subject': 'abc%2' };
  assert.is(firstReason(invalidEventFrom(() => fromHttpRequest(truncated, body))), 'header ce-subject: invalid percent-encoding or UTF-8');
});

decode('non-JSON data content types are refused in binary mode', () => {
  const { headers } = toHttpRequest(fullEvents()[1]!, 'binary');
  const err = invalidEventFrom(() => fromHttpRequest({ ...headers, 'content-type': 'text/plain' }, '"hello"'));
  assert.ok((err.context.errors as string[]).includes('datacontenttype: expected application/json (got text/plain)'));
});

decode('allowMissingJobId for commands from other systems', () => {
  const { jobId: _j, ...draft } = exampleData[EventType.zipRequested];
  const headers = {
    'content-type': 'application/json',
    'ce-specversion': '1.0',
    'ce-id': 'order-4711',
    'ce-source': 'urn:shop',
    'ce-type': EventType.zipRequested,
    'ce-time': '2025-03-14T09:30:00Z',
  };
  assert.is(firstReason(invalidEventFrom(() => fromHttpRequest(headers, JSON.stringify(draft)))), 'data.jobId: is required');
  const event = fromHttpRequest(headers, JSON.stringify(draft), { allowMissingJobId: true });
  assert.equal(event.data, draft);
  assert.is(event.source, 'urn:shop');
});

decode.run();
