/**
 * Schedule expressions of EventBridge rules (PutRule ScheduleExpression: rate | cron, UTC) and
 * EventBridge Scheduler (CreateSchedule ScheduleExpression: at | rate | cron, in
 * ScheduleExpressionTimezone). Pure: parse, then compute fire times; no clock, no I/O.
 */
import { InvalidSchedule, RULE_MESSAGE, schedulerMessage } from './errors.ts';
import { parseAt } from './at.ts';
import { parseCron } from './cron-parse.ts';
import { parseRate } from './rate.ts';
import type { Schedule } from './types.ts';

export { InvalidSchedule } from './errors.ts';
export { nextFireTimes, type NextOptions } from './next.ts';
export { isValidTimezone } from './zone.ts';
export type { CronFields, DayOfMonth, DayOfWeek, LocalDateTime, Schedule } from './types.ts';

/** ScheduleExpression's length limit in both APIs' models (1-256). */
const MAX_LENGTH = 256;

function parseWith(expr: unknown, allowAt: boolean, message: (e: string) => string): Schedule {
  // The protocol layer already checked the type; a non-string still gets AWS's answer, not a crash.
  const text = typeof expr === 'string' ? expr : '';
  try {
    if (typeof expr !== 'string' || expr.length === 0 || expr.length > MAX_LENGTH) throw new InvalidSchedule('length', 'empty or longer than 256 characters');
    if (expr.startsWith('rate(')) return parseRate(expr);
    if (expr.startsWith('cron(')) return parseCron(expr);
    if (allowAt && expr.startsWith('at(')) return parseAt(expr);
    throw new InvalidSchedule('kind', allowAt ? 'not at(), rate() or cron()' : 'not rate() or cron()');
  } catch (e) {
    if (e instanceof InvalidSchedule) throw new InvalidSchedule(message(text), e.detail);
    throw e;
  }
}

/** EventBridge PutRule: rate(...) | cron(...); throws InvalidSchedule("Parameter ScheduleExpression is not valid."). */
export function parseRuleSchedule(expr: string): Schedule {
  return parseWith(expr, false, () => RULE_MESSAGE);
}

/** EventBridge Scheduler: at(...) | rate(...) | cron(...); throws InvalidSchedule("Invalid Schedule Expression <expr>."). */
export function parseSchedulerExpression(expr: string): Schedule {
  return parseWith(expr, true, schedulerMessage);
}
