import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventType } from './envelope.js';
import { eventRegistry } from './event-registry.js';
import { schemaDocuments } from './schema-documents.js';
import { schemasDir } from './write-schemas.js';

const documents = suite('schemaDocuments');

documents('is a function', () => {
  assert.type(schemaDocuments, 'function');
});

documents('one schema per event type plus index.json, each $id the dataschema URL', () => {
  const docs = schemaDocuments();
  assert.is(docs.length, Object.values(EventType).length + 1);
  for (const type of Object.values(EventType)) {
    const spec = eventRegistry[type];
    const doc = docs.find((d) => d.fileName === `${spec.name}.json`);
    assert.ok(doc, spec.name);
    const schema = JSON.parse(doc.content) as Record<string, unknown>;
    assert.is(schema.$id, spec.dataschema);
    assert.is(schema.title, spec.title);
    assert.is(schema.type, 'object');
    assert.is(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  }
  const index = JSON.parse(docs.find((d) => d.fileName === 'index.json')!.content) as { schemas: { file: string }[] };
  assert.is(index.schemas.length, Object.values(EventType).length);
});

documents('commands forbid unknown fields; job events allow them', () => {
  const byName = (name: string) =>
    JSON.parse(schemaDocuments().find((d) => d.fileName === name)!.content) as Record<string, unknown>;
  assert.is(byName('zip.requested.v1.json').additionalProperties, false);
  assert.is(byName('report.requested.v1.json').additionalProperties, false);
  assert.is(byName('job.completed.v1.json').additionalProperties, undefined);
});

documents('the committed files in packages/shared/schemas are what the registry produces', () => {
  const dir = schemasDir();
  const expected = schemaDocuments();
  const committed = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  assert.equal(committed, expected.map((d) => d.fileName).sort(), 'stale or missing files: run write-schemas');
  for (const doc of expected) {
    assert.fixture(readFileSync(join(dir, doc.fileName), 'utf8'), doc.content);
  }
});

documents.run();
