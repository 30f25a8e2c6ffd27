import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventType } from './envelope.js';
import { eventRegistry, isEventType, dataschemaFor, SCHEMA_BASE_URL } from './event-registry.js';
import { exampleData } from './event-examples.js';

const zip = exampleData[EventType.zipRequested];
const report = exampleData[EventType.reportRequested];

function problems(type: EventType, data: unknown, allowMissingJobId = false): string[] {
  return eventRegistry[type].validate(data, { allowMissingJobId });
}

const registry = suite('eventRegistry');

registry('has one spec per event type, with its dataschema URL', () => {
  assert.equal(Object.keys(eventRegistry).sort(), Object.values(EventType).sort());
  assert.is(eventRegistry[EventType.zipRequested].dataschema, `${SCHEMA_BASE_URL}zip.requested.v1.json`);
  assert.is(eventRegistry[EventType.jobFailed].name, 'job.failed.v1');
  assert.is(dataschemaFor(EventType.objectCreated), 'https://artifact-pipeline.dev/schemas/object.created.v1.json');
});

registry('accepts the example of every type', () => {
  for (const type of Object.values(EventType)) {
    assert.equal(problems(type, exampleData[type]), [], type);
    assert.ok(eventRegistry[type].isValid(exampleData[type]), type);
  }
});

registry('commands reject unknown fields at every level', () => {
  assert.equal(problems(EventType.zipRequested, { ...zip, priority: 'high' }), ['data.priority: is not a known field']);
  assert.equal(problems(EventType.zipRequested, { ...zip, options: { compression: 'store', level: 9 } }), [
    'data.options.level: is not a known field',
  ]);
  assert.equal(problems(EventType.reportRequested, { ...report, columns: [{ key: 'a', header: 'A', color: 'red' }] }), [
    'data.columns[0].color: is not a known field',
  ]);
});

registry('job events tolerate fields they do not know (forward compatibility)', () => {
  const started = { ...exampleData[EventType.jobStarted], worker: 'zipper-7f9c', extra: { nested: true } };
  assert.equal(problems(EventType.jobStarted, started), []);
  assert.equal(problems(EventType.jobFailed, { ...exampleData[EventType.jobFailed], hint: 'x' }), []);
  // ...but the fields they know are still checked.
  assert.equal(problems(EventType.jobStarted, { ...started, attempt: 0 }), [
    'data.attempt: expected integer to be greater or equal to 1',
  ]);
});

registry('owner is required on commands; jobId only unless allowMissingJobId', () => {
  const { owner: _owner, ...ownerless } = zip;
  assert.equal(problems(EventType.zipRequested, ownerless), ['data.owner: is required']);
  assert.equal(problems(EventType.zipRequested, ownerless, true), ['data.owner: is required']);
  const { jobId: _jobId, ...draft } = report;
  assert.equal(problems(EventType.reportRequested, draft), ['data.jobId: is required']);
  assert.equal(problems(EventType.reportRequested, draft, true), []);
  // The option only concerns commands.
  const { jobId: _j, ...started } = exampleData[EventType.jobStarted];
  assert.equal(problems(EventType.jobStarted, started, true), ['data.jobId: is required']);
});

registry('a ZIP source is a prefix or a key list, reported against the closest one', () => {
  assert.equal(problems(EventType.zipRequested, { ...zip, source: { bucket: 'uploads', prefix: 5 } }), [
    'data.source.prefix: expected string',
  ]);
  assert.equal(problems(EventType.zipRequested, { ...zip, source: { bucket: 'uploads', keys: ['a', 7] } }), [
    'data.source.keys[1]: expected string',
  ]);
  assert.equal(problems(EventType.zipRequested, { ...zip, source: { bucket: 'uploads', keys: ['a'], prefix: 'p/' } }), [
    'data.source: expected a prefix source or a key list source',
  ]);
  assert.equal(problems(EventType.zipRequested, { ...zip, source: { bucket: 'uploads' } }), [
    'data.source: expected a prefix source or a key list source',
  ]);
  assert.equal(problems(EventType.zipRequested, { ...zip, source: { bucket: 'uploads', keys: ['a'], marker: 'a/_READY' } }), []);
});

registry('keys are limited to 1,024 bytes of UTF-8, not characters', () => {
  const euro = '€'.repeat(400); // 400 characters, 1,200 bytes
  assert.equal(problems(EventType.objectCreated, { ...exampleData[EventType.objectCreated], key: euro }), [
    'data.key: expected s3-key string',
  ]);
  const ascii = 'k'.repeat(1024);
  assert.equal(problems(EventType.objectCreated, { ...exampleData[EventType.objectCreated], key: ascii }), []);
});

registry('a key list holds at most 100,000 keys', () => {
  const keys = Array.from({ length: 100_001 }, (_, i) => `k/${i}`);
  const lines = problems(EventType.zipRequested, { ...zip, source: { bucket: 'uploads', keys } });
  assert.ok(lines.some((l) => l.startsWith('data.source.keys: expected array length')), lines.join('\n'));
  assert.equal(problems(EventType.zipRequested, { ...zip, source: { bucket: 'uploads', keys: keys.slice(1) } }), []);
});

registry('artifact names cannot escape their folder', () => {
  for (const name of ['../x.zip', 'a/b.zip', '..', 'tab\there.zip', '']) {
    assert.ok(problems(EventType.zipRequested, { ...zip, output: { name } }).length > 0, JSON.stringify(name));
  }
  assert.equal(problems(EventType.zipRequested, { ...zip, output: { name: 'Rapport été 2025.zip' } }), []);
});

registry('report columns, onError and the choice of rows or source', () => {
  assert.match(
    problems(EventType.reportRequested, { ...report, columns: [{ key: 'a', header: 'A', type: 'money' }] })[0] ?? '',
    /^data\.columns\[0\]\.type: expected one of "string", "number", "date", "boolean", "currency"$/,
  );
  assert.equal(problems(EventType.reportRequested, { ...report, onError: 'ignore' }), [
    'data.onError: expected one of "fail", "skip"',
  ]);
  const { source: _source, ...neither } = report;
  assert.equal(problems(EventType.reportRequested, neither), ['data: give exactly one of rows or source']);
  assert.equal(problems(EventType.reportRequested, { ...report, rows: [{ region: 'EU' }] }), [
    'data: give exactly one of rows or source',
  ]);
  assert.equal(problems(EventType.reportRequested, { ...neither, rows: [{ region: 'EU', total: 3 }] }), []);
});

registry('a notify webhook must be an http(s) URL', () => {
  assert.equal(problems(EventType.zipRequested, { ...zip, notify: { webhook: 'ftp://x/y' } }), [
    'data.notify.webhook: expected uri string',
  ]);
});

registry('reports at most 10 problems', () => {
  const bad = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`unknown${i}`, i]));
  assert.is(problems(EventType.zipRequested, bad).length, 10);
});

registry.run();

const guard = suite('isEventType');

guard('knows exactly the seven types', () => {
  assert.ok(isEventType('io.artifactpipeline.zip.requested.v1'));
  assert.not.ok(isEventType('io.artifactpipeline.zip.requested.v2'));
  assert.not.ok(isEventType(42));
});

guard.run();
