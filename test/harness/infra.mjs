#!/usr/bin/env node
/**
 * `npm run infra:up` / `infra:down`: long-lived servers for development.
 *   up    reuses or starts Redis, Kafka and moto, detached (they outlive this command),
 *         records what it started in .cache/infra/state.json and prints only
 *         `export NAME=value` lines on stdout, so `eval "$(npm run -s infra:up)"` works.
 *         Progress goes to stderr.
 *   down  stops what `up` recorded, and nothing else.
 */
import { clearInfraState, readInfraState, writeInfraState } from './infra-state.mjs';
import { say } from './log.mjs';
import { infraStateFile, shown } from './paths.mjs';
import { ensureServers, stopServers } from './servers.mjs';

/** Single quotes keep a value literal in `eval`. */
function shellQuote(value) {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

async function up() {
  const known = readInfraState();
  const { env, started } = await ensureServers({ known });
  for (const record of started) known[record.kind] = { ...record, startedAt: new Date().toISOString() };
  writeInfraState(known);
  for (const r of started) say(`started ${r.kind} at ${r.url} (pid ${r.pid}, log ${r.logFile})`);
  if (started.length > 0) say(`recorded in ${shown(infraStateFile)}; 'npm run infra:down' stops them`);
  for (const [name, value] of Object.entries(env)) process.stdout.write(`export ${name}=${shellQuote(value)}\n`);
}

async function down() {
  const records = Object.values(readInfraState({ includeDead: true }));
  if (records.length === 0) say('nothing recorded by infra:up; nothing to stop');
  await stopServers(records);
  for (const r of records) say(`stopped ${r.kind} at ${r.url} (pid ${r.pid})`);
  clearInfraState();
}

const command = process.argv[2];
if (command !== 'up' && command !== 'down') {
  process.stderr.write('usage: node test/harness/infra.mjs up|down\n');
  process.exit(2);
}
try {
  await (command === 'up' ? up() : down());
} catch (err) {
  process.stderr.write(`[harness] infra ${command} failed: ${err.message}\n`);
  process.exit(1);
}
