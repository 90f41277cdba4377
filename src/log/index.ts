/**
 * vigil's one pino root logger. Modules take a child with `{ module }` and
 * log a fields object plus a short fixed lowercase message; errors go under
 * `err`. JSON lines go to stdout, or to the destination a test hands in.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Levels vigil accepts in `server.log_level`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** Creates the root logger; `destination` defaults to stdout. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'vigil' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
