/**
 * Local mode as a user runs it: `artifacts dev` as a child process (from the TypeScript
 * sources, so no build is needed) on a free port with its own temporary data folder, and
 * the `artifacts` CLI as separate processes against it. Only 127.0.0.1 is used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor, withDeadline } from '../harness/support.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = ['--conditions=source', '--import', 'tsx', 'packages/cli/src/main.ts'];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LocalProcess {
  url: string;
  dataDir: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `artifacts dev` and resolves once GET /healthz answers. */
export async function startLocal(extraEnv: Record<string, string> = {}): Promise<LocalProcess> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'ap-local-'));
  const dataDir = path.join(dir, 'data');
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [...MAIN, 'dev'], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), PUBLIC_BASE_URL: url, LOCAL_DATA_DIR: dataDir, OTEL_SDK_DISABLED: 'true', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await withDeadline(exited, 15_000, 'local mode stops on SIGTERM').catch(() => child.kill('SIGKILL'));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => child.exitCode === null && (await fetch(`${url}/healthz`)).ok, 'local mode answers /healthz', { timeoutMs: 30_000, intervalMs: 200 });
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- output:\n${output}`);
  }
  return { url, dataDir, output: () => output, stop };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `artifacts <args>` against `url` and resolves when it exits (deadline 60 s). */
export async function runCli(url: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  // from the repository: `--import tsx` resolves tsx from the working directory
  const child = spawn(process.execPath, [...MAIN, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', ARTIFACTS_URL: url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await withDeadline(
    new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c))),
    60_000,
    `artifacts ${args.join(' ')} exits`,
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return { code, stdout, stderr };
}
