/**
 * .cache/infra/state.json: the servers `infra.mjs up` started — kind, pid, url, runDir,
 * logFile, startedAt — so a later `up` or test run reuses them and `down` stops them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { infraStateFile } from './paths.mjs';
import { isAlive } from './processes.mjs';

/** The recorded servers by kind; records of processes that have died are dropped unless asked for. */
export function readInfraState({ includeDead = false } = {}) {
  let servers = {};
  try {
    servers = JSON.parse(fs.readFileSync(infraStateFile, 'utf8')).servers ?? {};
  } catch {
    // no state yet, or a broken file: nothing is recorded
  }
  return Object.fromEntries(Object.entries(servers).filter(([, r]) => Number.isInteger(r?.pid) && (includeDead || isAlive(r.pid))));
}

export function writeInfraState(servers) {
  fs.mkdirSync(path.dirname(infraStateFile), { recursive: true });
  fs.writeFileSync(infraStateFile, `${JSON.stringify({ servers }, null, 2)}\n`);
}

export function clearInfraState() {
  fs.rmSync(infraStateFile, { force: true });
}
