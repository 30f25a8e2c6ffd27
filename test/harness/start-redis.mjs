/**
 * Debian's redis-server on a free loopback port, no persistence (tests own their keys and
 * nothing needs to survive a restart), working files in a fresh temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, redisAnswers } from './probes.mjs';
import { readyOrStopped, spawnServer } from './processes.mjs';

export async function startRedis() {
  const port = await freePort();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-redis-'));
  const logFile = path.join(runDir, 'redis.log');
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', runDir];
  const pid = spawnServer('redis-server', args, { cwd: runDir, logFile });
  const url = `redis://127.0.0.1:${port}`;
  // 20 s: redis-server is ready in milliseconds; the deadline only catches a broken start.
  return readyOrStopped(
    { kind: 'redis', pid, url, runDir, logFile },
    { name: 'redis-server', ready: () => redisAnswers(url), timeoutMs: 20_000 },
  );
}
