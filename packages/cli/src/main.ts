#!/usr/bin/env node
// `artifacts` command line. Local mode (`artifacts dev`, behind `npm start`) arrives with the
// services; until then `dev` says so and exits 0 so `npm start` does not fail.
const [command = 'help'] = process.argv.slice(2);

if (command === 'dev') {
  process.stdout.write('artifact-pipeline: local mode arrives with the services; nothing to run yet\n');
} else {
  process.stdout.write('usage: artifacts dev\n');
  process.exitCode = command === 'help' || command === '--help' ? 0 : 2;
}
