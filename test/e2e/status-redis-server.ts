/**
 * A redis-server of a test's own, on a free 127.0.0.1 port, for tests that stop Redis or
 * need an empty one (the shared server is never stopped or flushed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { waitFor, withDeadline } from '../harness/support.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** `dir` given: append-only file with fsync always, so a restart keeps what was acknowledged. */
export async function startRedis(port: number, dir?: string): Promise<ChildProcess> {
  const persistence = dir ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', ...persistence], { stdio: 'ignore' });
  await waitFor(() => redisAnswers(port), `redis-server on ${port} to answer`, { timeoutMs: 10_000 });
  return child;
}

export async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await withDeadline(exited, 10_000, 'redis-server to exit');
}

async function redisAnswers(port: number): Promise<boolean> {
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
