/**
 * A parsed schedule expression. Cron fields are the expanded, sorted value sets, so computing the
 * next fire time is a walk over small arrays instead of a minute-by-minute scan.
 */

/** Day-of-month field: `?`, a value set (from numbers, ranges, steps, `*`), `L`, `LW` or `nW`. */
export type DayOfMonth =
  | { kind: 'any' }
  | { kind: 'days'; days: readonly number[] }
  | { kind: 'last' }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number };

/** Day-of-week field (1 = SUN … 7 = SAT): `?`, a value set, `nL` (last n of the month) or `n#k`. */
export type DayOfWeek =
  | { kind: 'any' }
  | { kind: 'days'; days: readonly number[] }
  | { kind: 'last'; day: number }
  | { kind: 'nth'; day: number; nth: number };

export interface CronFields {
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: DayOfMonth;
  months: readonly number[];
  daysOfWeek: DayOfWeek;
  years: readonly number[];
}

/** A wall-clock date-time, no zone (Scheduler's at() is read in ScheduleExpressionTimezone). */
export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type Schedule =
  | { kind: 'rate'; everyMs: number; expression: string }
  | ({ kind: 'cron'; expression: string } & CronFields)
  | ({ kind: 'at'; expression: string } & LocalDateTime);
