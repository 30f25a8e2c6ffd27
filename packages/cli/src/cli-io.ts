/**
 * What a command gets from main.ts: the environment (read here and in config only), the
 * output streams, and fetch (replaceable in tests). Commands return their exit code:
 * 0 done, 1 the job or the request failed, 2 usage error (as most Unix tools).
 */
import type { Writable } from 'node:stream';
import type { Env } from '@artifact-pipeline/shared';
import { errorCode } from '@artifact-pipeline/shared/errors';

export interface CliIo {
  env: Env;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
  fetch: typeof fetch;
  /** Working directory for relative paths (default process.cwd() from main.ts). */
  cwd: string;
}

export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(io: CliIo, line: string): void {
  io.stdout.write(`${line}\n`);
}

/** `error CODE: message`, to stderr, or `{"error": {code, message}}` on stdout with --json. */
export function printError(io: CliIo, err: unknown, json: boolean): void {
  const code = errorCode(err) ?? 'INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  if (json) printJson(io, { error: { code, message } });
  else io.stderr.write(`error ${code}: ${message}\n`);
}
