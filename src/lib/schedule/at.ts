/**
 * Scheduler's one-time at(yyyy-mm-ddThh:mm:ss): a wall-clock time read in the schedule's
 * ScheduleExpressionTimezone. AWS refuses a zone suffix (`at(2021-12-31T23:59:59Z)`) and a bare date
 * (`at(2021-12-31)`), and accepts a time in the past (`at(2022-12-31T23:59:59)` was created in 2025) —
 * localstack's AWS-recorded snapshot, see errors.ts.
 */
import { refuse } from './errors.ts';
import { daysInMonth } from './cron-next.ts';
import type { LocalDateTime } from './types.ts';

const AT = /^at\(([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\)$/;

export function parseAt(expr: string): { kind: 'at'; expression: string } & LocalDateTime {
  const m = AT.exec(expr);
  if (!m) return refuse('at() takes yyyy-mm-ddThh:mm:ss');
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  // Years before 1000 are refused: Intl renders them with eras, and nobody schedules for them.
  if (year < 1000) return refuse('at(): year out of range');
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return refuse('at(): no such date');
  if (hour > 23 || minute > 59 || second > 59) return refuse('at(): no such time');
  return { kind: 'at', expression: expr, year, month, day, hour, minute, second };
}
