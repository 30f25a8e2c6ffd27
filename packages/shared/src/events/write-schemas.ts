/**
 * Writes the published JSON Schemas into packages/shared/schemas/ (run by `npm run build`
 * as `node packages/shared/dist/events/write-schemas.js`; from the sources with
 * `node --import tsx packages/shared/src/events/write-schemas.ts`). The folder is found
 * from this file's own location, which is two levels below the package in both src/ and
 * dist/. Files of types that no longer exist are removed.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { schemaDocuments } from './schema-documents.js';

/** packages/shared/schemas, from src/events/ or dist/events/. */
export function schemasDir(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'schemas');
}

/** Writes every document into `dir`; returns the file names written. */
export function writeSchemas(dir: string = schemasDir()): string[] {
  mkdirSync(dir, { recursive: true });
  const documents = schemaDocuments();
  const wanted = new Set(documents.map((d) => d.fileName));
  for (const existing of readdirSync(dir)) {
    if (existing.endsWith('.json') && !wanted.has(existing)) rmSync(join(dir, existing));
  }
  for (const document of documents) writeFileSync(join(dir, document.fileName), document.content);
  return [...wanted];
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  const dir = schemasDir();
  const written = writeSchemas(dir);
  process.stdout.write(`wrote ${written.length} schema files to ${dir}\n`);
}
