import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

/** The logging calls the services make; pino satisfies it, tests can pass a silent one. */
export type Logger = Pick<PinoLogger, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child'>;

export function createLogger(options: { service: string; level?: LevelWithSilent | string }): Logger {
  return pino({
    name: options.service,
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** A logger that writes nothing: the default in unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Process warnings (deprecations, a dependency's notice that a runtime is going out of
 * support, MaxListenersExceeded…) as warn lines of `logger`, instead of Node's default
 * multi-line text on stderr that breaks a stream of JSON log lines. For a service's main
 * only: it replaces Node's own printer for the whole process. Returns the undo.
 */
export function routeProcessWarnings(logger: Logger): () => void {
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  const onWarning = (warning: Error & { code?: string; detail?: string }): void => {
    logger.warn(
      { warning: warning.name, ...(warning.code ? { code: warning.code } : {}), ...(warning.detail ? { detail: warning.detail } : {}) },
      warning.message.replace(/\s*\n\s*/g, ' '),
    );
  };
  process.on('warning', onWarning);
  return () => {
    process.off('warning', onWarning);
    for (const printer of printers) process.on('warning', printer);
  };
}
