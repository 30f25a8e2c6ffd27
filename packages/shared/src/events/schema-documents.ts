/**
 * The JSON Schema files published for other systems (DESIGN §3), made from the registry:
 * one per event type (`zip.requested.v1.json`, `$id` = the event's dataschema URL) and an
 * `index.json` listing them. Pure, so a test can compare them with the committed files.
 */
import { EventType } from './envelope.js';
import { eventRegistry, SCHEMA_BASE_URL } from './event-registry.js';

export interface SchemaDocument {
  /** File name inside packages/shared/schemas/. */
  fileName: string;
  /** The file's exact content (2-space JSON, trailing newline). */
  content: string;
}

const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

function render(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** JSON drops TypeBox's symbol keys, leaving plain JSON Schema. */
function plain(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

export function schemaDocuments(): SchemaDocument[] {
  const specs = Object.values(EventType).map((type) => eventRegistry[type]);
  const documents = specs.map((spec) => ({
    fileName: `${spec.name}.json`,
    content: render({
      $schema: JSON_SCHEMA_DIALECT,
      $id: spec.dataschema,
      title: spec.title,
      description: `${spec.description} The \`data\` of CloudEvents of type ${spec.type}.`,
      'x-cloudevents-type': spec.type,
      ...plain(spec.schema),
    }),
  }));
  const index = {
    description: 'JSON Schemas of the data of every Artifact Pipeline CloudEvent type.',
    base: SCHEMA_BASE_URL,
    schemas: specs.map((spec) => ({
      type: spec.type,
      title: spec.title,
      file: `${spec.name}.json`,
      $id: spec.dataschema,
    })),
  };
  return [...documents, { fileName: 'index.json', content: render(index) }];
}
