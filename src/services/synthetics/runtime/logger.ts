/**
 * SyntheticsLogger (`require('SyntheticsLogger')`, `@aws/synthetics-logger`): debug/info/log/warn/
 * error(message, ex) written to the run log and to stdout, filtered by the library's log level
 * (0 debug, 1 info, 2 warn, 3 error), as AWS documents it.
 */
import { formatArgs, type LogLevelName, type RunLog } from './run-log.ts';

const LEVELS: Record<LogLevelName, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

export class SyntheticsLogger {
  private level = 1;

  constructor(private readonly runLog: RunLog) {}

  getLogLevel(): number {
    return this.level;
  }

  setLogLevel(level: number | string): void {
    const n = Number(level);
    if (Number.isInteger(n) && n >= 0 && n <= 3) this.level = n;
  }

  debug(message: unknown, ex?: unknown): void {
    this.emit('DEBUG', message, ex);
  }

  info(message: unknown, ex?: unknown): void {
    this.emit('INFO', message, ex);
  }

  /** AWS documents `log` as an alias of `info`. */
  log(message: unknown, ex?: unknown): void {
    this.emit('INFO', message, ex);
  }

  warn(message: unknown, ex?: unknown): void {
    this.emit('WARN', message, ex);
  }

  error(message: unknown, ex?: unknown): void {
    this.emit('ERROR', message, ex);
  }

  private emit(level: LogLevelName, message: unknown, ex: unknown): void {
    if (LEVELS[level] < this.level) return;
    const text = formatArgs(ex === undefined ? [message] : [message, ex]);
    this.runLog.write(level, text);
    // Straight to the stream, not console.log: the console is captured into the run log already.
    process.stdout.write(`${level}: ${text}\n`);
  }
}
