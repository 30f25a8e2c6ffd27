#!/usr/bin/env node
/**
 * `npm run bench [-- <case-filter>]`: runs every test/bench/*.bench.ts (or .mjs) whose file
 * name contains the filter — `zip` runs zip.bench.ts — each in its own Node process from the
 * TypeScript sources, and passes the filter on. Bench files print one JSON line per case
 * on stdout; everything else they say goes to stderr.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
  .filter((f) => /\.bench\.(ts|mjs)$/.test(f))
  .filter((f) => filter === '' || f.includes(filter.split(':')[0]))
  .sort();
if (files.length === 0) {
  process.stderr.write(`bench: no bench file matches "${filter}"\n`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', path.join(here, file), filter], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (c) => resolve(c));
  });
  if (code !== 0) {
    failed++;
    process.stderr.write(`bench: ${file} exited with ${code}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
