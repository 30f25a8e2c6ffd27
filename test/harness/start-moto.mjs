/** moto_server from the harness's venv on a free loopback port (S3 and SQS on one port). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { motoServerBin } from './install-moto.mjs';
import { freePort, motoAnswers } from './probes.mjs';
import { readyOrStopped, spawnServer } from './processes.mjs';

export async function startMoto() {
  const port = await freePort();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-moto-'));
  const logFile = path.join(runDir, 'moto.log');
  const pid = spawnServer(motoServerBin, ['-H', '127.0.0.1', '-p', String(port)], { cwd: runDir, logFile });
  const url = `http://127.0.0.1:${port}`;
  // 60 s: moto loads its AWS service models on start, a few seconds on 2 cores.
  return readyOrStopped(
    { kind: 'moto', pid, url, runDir, logFile },
    { name: 'moto_server', ready: () => motoAnswers(url), timeoutMs: 60_000 },
  );
}
