/**
 * A cross-process lock around installs, so two harness runs sharing one checkout (or
 * `infra:up` next to `npm test`) never fill the same cache folder at once. mkdir is atomic;
 * the owner's pid inside lets a later run take over a lock whose owner died.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { say } from './log.mjs';
import { locksDir } from './paths.mjs';
import { isAlive } from './processes.mjs';

/** Runs `work` holding the lock `name`; waits up to `timeoutMs` (default 20 min) for it. */
export async function withLock(name, work, { timeoutMs = 20 * 60_000 } = {}) {
  const dir = path.join(locksDir, name);
  const ownerFile = path.join(dir, 'owner');
  fs.mkdirSync(locksDir, { recursive: true });
  const until = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const owner = Number(readOwner(ownerFile));
    if (owner && !isAlive(owner)) {
      fs.rmSync(dir, { recursive: true, force: true }); // its owner died mid-install
      continue;
    }
    if (Date.now() > until) throw new Error(`lock ${dir} still held by pid ${owner} after ${timeoutMs / 1000} s`);
    if (!announced) say(`waiting for pid ${owner || '?'} to finish '${name}'`);
    announced = true;
    await sleep(500);
  }
  try {
    return await work();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function readOwner(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
