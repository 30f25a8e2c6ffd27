/**
 * A service that cannot start (a queue not provisioned, a grant missing, Redis unreachable)
 * says so in ONE JSON log line — the message names the resource and what fixes it, the fields
 * carry the error's code and context, no stack — and exits 1 instead of dying on an unhandled
 * rejection with a raw stack.
 */
import { isPipelineError } from './errors.js';
import type { Logger } from './logger.js';

export interface StartFailure {
  code: string;
  retriable?: boolean;
  [field: string]: unknown;
}

/** The fields of the log line: code and context of a PipelineError, the name otherwise. */
export function startFailureFields(err: unknown): StartFailure {
  if (isPipelineError(err)) return { code: err.code, retriable: err.retriable, ...err.context };
  const e = err as { code?: unknown; name?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'INTERNAL' };
}

export async function startOrExit<T>(
  logger: Logger,
  start: () => Promise<T>,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<T | undefined> {
  try {
    return await start();
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    logger.fatal(startFailureFields(err), `cannot start: ${message}`);
    exit(1);
    return undefined;
  }
}
