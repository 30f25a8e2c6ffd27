#!/usr/bin/env node
/**
 * `npm run bench [-- <case-filter>]`: runs every test/bench/*.bench.ts (or .mjs) whose file
 * name contains the filter — `zip` runs zip.bench.ts — each in its own Node process, and
 * passes the filter on. Bench files print one JSON line per case on stdout; everything else
 * they say goes to stderr.
 *
 * The TypeScript is compiled first (tsconfig.bench.json, into .cache/bench-build) and run as
 * plain JavaScript, as the services run (`node dist/…`): the TypeScript loader costs a
 * process ~40 MiB and wraps every function it loads, which would be measured as ours.
 */
import { execFileSync, spawn } from 'node:child_process';
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
process.stderr.write('bench: compiling test/bench (tsconfig.bench.json)…\n');
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.bench.json')], { stdio: 'inherit' });
const compiled = path.join(root, '.cache/bench-build/test/bench');
let failed = 0;
for (const file of files) {
  const script = file.endsWith('.ts') ? path.join(compiled, file.replace(/\.ts$/, '.js')) : path.join(here, file);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [script, filter], {
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
