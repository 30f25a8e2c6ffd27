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
