/**
 * What a command gets from main.ts: the environment (read here and in config only), the
 * output streams, and fetch (replaceable in tests). Commands return their exit code:
 * 0 done, 1 the job or the request failed, 2 usage error (as most Unix tools).
 */
import type { Writable } from 'node:stream';
import type { Env } from '@artifact-pipeline/shared';
import { errorCode, isPipelineError } from '@artifact-pipeline/shared/errors';

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

/**
 * `error CODE: message`, to stderr, or `{"error": {code, message}}` on stdout with --json —
 * on one line, so it parses both as a document and as a line of `dev --json`'s stream.
 * An error listing problems (INVALID_CONFIG: one per variable) prints one line per problem,
 * and with --json carries them as `problems`.
 */
export function printError(io: CliIo, err: unknown, json: boolean): void {
  const code = errorCode(err) ?? 'INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  const problems = problemsOf(err);
  if (json) io.stdout.write(`${JSON.stringify({ error: { code, message, ...(problems ? { problems } : {}) } })}\n`);
  else for (const line of problems ?? [message]) io.stderr.write(`error ${code}: ${line}\n`);
}

function problemsOf(err: unknown): string[] | undefined {
  const problems = isPipelineError(err) ? err.context.problems : undefined;
  return Array.isArray(problems) && problems.length > 0 && problems.every((p) => typeof p === 'string') ? problems : undefined;
}
