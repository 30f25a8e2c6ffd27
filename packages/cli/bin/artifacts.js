#!/usr/bin/env node
// The `artifacts` command. A committed launcher, not dist/main.js itself: npm links a bin
// at install time only if its file exists then, and dist/ only appears with the first build.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('artifacts: not built yet; run `npm run build` (or `npm start`) in the repository first\n');
  process.exit(1);
}
await import(main.href);
