/**
 * moto in server mode (S3 + SQS on one port, INFRA.md) in a virtualenv under
 * .cache/servers/moto-venv, together with the Python packages tests use to read back what
 * we produce: openpyxl (XLSX cells), cloudevents + kafka-python (another system on Kafka and
 * over HTTP), and schemathesis (fuzzes both services against their OpenAPI document).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findOnPath } from './install-apt.mjs';
import { withLock } from './lock.mjs';
import { step } from './log.mjs';
import { serversDir, shown } from './paths.mjs';
import { runCommand } from './processes.mjs';

/**
 * Pinned so every machine gets the same behaviour. cloudevents stays on 1.x: 2.0 (2026)
 * is a rewrite whose `cloudevents.kafka` API differs, and 1.12 still has both the current
 * `cloudevents.http` / `cloudevents.conversion` API and the legacy `cloudevents.sdk` one.
 */
export const pythonRequirements = [
  'moto[server]==5.2.5',
  'openpyxl==3.1.5',
  'cloudevents==1.12.1',
  'kafka-python==2.3.0',
  'schemathesis==4.32.5',
];

export const motoVenv = path.join(serversDir, 'moto-venv');
export const venvPython = path.join(motoVenv, 'bin', 'python');
export const motoServerBin = path.join(motoVenv, 'bin', 'moto_server');
/** Written last, holding the requirement list: present and equal means "installed". */
const marker = path.join(motoVenv, '.harness-installed');

export function motoInstalled() {
  try {
    return fs.readFileSync(marker, 'utf8') === pythonRequirements.join('\n');
  } catch {
    return false;
  }
}

/** Debian packages needed to build the venv: python3 with venv/ensurepip. */
export function motoBuildTools() {
  return [
    { command: 'python3', pkg: 'python3' },
    {
      pkg: 'python3-venv',
      what: "python3's venv module (ensurepip)",
      check: () => findOnPath('python3') !== undefined && pythonCanMakeVenvs(),
    },
  ];
}

function pythonCanMakeVenvs() {
  return spawnSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0;
}

/** Creates (or recreates, when the pins changed or a run died half-way) the venv. */
export async function ensureMoto() {
  if (motoInstalled()) return;
  await withLock('moto-venv', async () => {
    if (motoInstalled()) return; // another run installed it while we waited
    await step(`installing moto into ${shown(motoVenv)}`, async () => {
      fs.rmSync(motoVenv, { recursive: true, force: true });
      fs.mkdirSync(serversDir, { recursive: true });
      await runCommand('python3', ['-m', 'venv', motoVenv]);
      const pip = [venvPython, '-m', 'pip'];
      const quiet = ['--disable-pip-version-check', '--no-input', '-q'];
      await runCommand(pip[0], [...pip.slice(1), 'install', ...quiet, ...pythonRequirements]);
      // Prove the modules tests will import are there before calling it installed.
      await runCommand(venvPython, ['-c', 'import moto.server, openpyxl, cloudevents.kafka, cloudevents.sdk.marshaller, kafka, schemathesis']);
      fs.writeFileSync(marker, pythonRequirements.join('\n'));
    });
  });
}
