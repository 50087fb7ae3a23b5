import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'osprey' } });
}

/** For tests and library use: a logger that writes nothing. */
export const silentLogger: Logger = pino({ level: 'silent' });
