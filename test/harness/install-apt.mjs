/**
 * Debian packages the tests rely on, installed in ONE apt-get call when missing (as root
 * with apt-get), otherwise named in an exact command for a person to run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { say, step } from './log.mjs';
import { quietEnv, runCommand } from './processes.mjs';

/** Tools later tests call to check what we produce (INFRA.md, "Tools that check…"). */
export const checkingTools = [
  { command: 'unzip', pkg: 'unzip' },
  { command: '7z', pkg: 'p7zip-full' },
  { command: 'bsdtar', pkg: 'libarchive-tools' },
  { command: 'pdftotext', pkg: 'poppler-utils' },
  { command: 'pdfinfo', pkg: 'poppler-utils' },
  { command: 'soffice', pkg: 'libreoffice-calc-nogui' },
];

/** The executable `command` on PATH, or undefined. */
export function findOnPath(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir || '.', command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function canUseApt() {
  return process.getuid?.() === 0 && findOnPath('apt-get') !== undefined;
}

/**
 * Installs every missing tool. `required` ones (a server we must start) fail the run with
 * the command to run when they cannot be installed; `wanted` ones only warn, since just
 * the tests that call them need them and those say so themselves.
 * Each entry: {command, pkg} or {check: () => boolean, pkg, what}.
 */
export async function ensureDebianPackages({ required = [], wanted = [] }) {
  const isMissing = (t) => (t.check ? !t.check() : findOnPath(t.command) === undefined);
  const missingRequired = required.filter(isMissing);
  const missingWanted = wanted.filter(isMissing);
  const packages = [...new Set([...missingRequired, ...missingWanted].map((t) => t.pkg))];
  if (packages.length === 0) return;

  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (!canUseApt()) {
    const advice = `run as root: ${command}`;
    if (missingRequired.length > 0) {
      const names = missingRequired.map((t) => t.what ?? t.command).join(', ');
      throw new Error(`missing ${names}; ${advice}`);
    }
    say(`missing ${missingWanted.map((t) => t.command).join(', ')} (some tests will fail); ${advice}`);
    return;
  }
  await step(`installing ${packages.join(' ')} with apt-get`, async () => {
    // -o DPkg::Lock::Timeout: wait (seconds) instead of failing while another apt runs.
    const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
    await runCommand('apt-get', ['update', '-q', ...lockWait], { env: quietEnv });
    await runCommand('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...lockWait, ...packages], {
      env: quietEnv,
    });
  });
  const stillMissing = [...missingRequired, ...missingWanted].filter(isMissing);
  if (stillMissing.length > 0) {
    throw new Error(`apt-get ran but ${stillMissing.map((t) => t.what ?? t.command).join(', ')} still missing`);
  }
}
