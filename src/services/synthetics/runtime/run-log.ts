/**
 * The run's log file (`<timestamp>-log.txt` in the artifact dir). Every line is appended
 * synchronously: the server kills the process group at the timeout, and a killed run must still
 * leave the lines written up to that moment.
 */
import { appendFileSync } from 'node:fs';
import { format } from 'node:util';

export type LogLevelName = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** The log file's name for a run started at `startedAt`, in the timestamp form S3 keys allow. */
export function logFileName(startedAt: string): string {
  return `${new Date(startedAt).toISOString().replace(/:/g, '-').replace('.', '-')}-log.txt`;
}

export class RunLog {
  constructor(readonly path: string) {}

  /** Appends one entry; multi-line messages stay one entry (continuation lines keep their text). */
  write(level: LogLevelName, message: string): void {
    appendFileSync(this.path, `${new Date().toISOString()} ${level}: ${message}\n`);
  }
}

/** Formats logger/console arguments the way console.log would, errors with their stack. */
export function formatArgs(args: readonly unknown[]): string {
  return args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : format('%O', a))).join(' ');
}

const CONSOLE_LEVELS: Record<'log' | 'info' | 'debug' | 'warn' | 'error', LogLevelName> = {
  log: 'INFO',
  info: 'INFO',
  debug: 'DEBUG',
  warn: 'WARN',
  error: 'ERROR',
};

/**
 * Copies the script's console output into the run log as well as to the real console, since AWS
 * keeps a canary's console output next to its Synthetics log lines.
 */
export function captureConsole(log: RunLog): void {
  for (const [method, level] of Object.entries(CONSOLE_LEVELS) as [keyof typeof CONSOLE_LEVELS, LogLevelName][]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      log.write(level, formatArgs(args));
      original(...args);
    };
  }
}
