/**
 * The next wall-clock minute a cron matches, field by field (year → month → day → hour → minute):
 * each step jumps to the next allowed value of one field, so a search over the whole 1970-2199 range
 * takes at most a few thousand steps and a cron that never fires again ends at the year list.
 */
import type { CronFields, DayOfMonth, DayOfWeek, LocalDateTime } from './types.ts';

export const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** 1 = SUN … 7 = SAT, the cron numbering. */
export const weekday = (y: number, m: number, d: number): number => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

/** First value in the sorted list ≥ v, or undefined. */
function ceil(list: readonly number[], v: number): number | undefined {
  for (const x of list) if (x >= v) return x;
  return undefined;
}

/** One month being searched: its length and the weekday of its 1st, so no Date per day. */
interface Month {
  dim: number;
  wd1: number;
}
const wdOf = (mo: Month, d: number): number => ((mo.wd1 - 1 + d - 1) % 7) + 1;

/** The weekday (MON-FRI) nearest to day `n` without leaving the month; undefined if n is past its end. */
function nearestWeekday(mo: Month, n: number): number | undefined {
  if (n > mo.dim) return undefined;
  const wd = wdOf(mo, n);
  if (wd === 7) return n === 1 ? 3 : n - 1; // Saturday: the Friday before, or Monday the 3rd
  if (wd === 1) return n === mo.dim ? n - 2 : n + 1; // Sunday: the Monday after, or the Friday before
  return n;
}

function domMatches(f: DayOfMonth, mo: Month, d: number): boolean {
  switch (f.kind) {
    case 'any': return true;
    case 'days': return f.days.includes(d);
    case 'last': return d === mo.dim;
    case 'lastWeekday': return d === nearestWeekday(mo, mo.dim);
    case 'nearestWeekday': return d === nearestWeekday(mo, f.day);
  }
}

function dowMatches(f: DayOfWeek, mo: Month, d: number): boolean {
  if (f.kind === 'any') return true;
  const wd = wdOf(mo, d);
  switch (f.kind) {
    case 'days': return f.days.includes(wd);
    case 'last': return wd === f.day && d + 7 > mo.dim;
    case 'nth': return wd === f.day && Math.ceil(d / 7) === f.nth;
  }
}

/** First day ≥ from in (y, m) that both day fields accept, or undefined. */
function nextDay(c: CronFields, y: number, m: number, from: number): number | undefined {
  const mo: Month = { dim: daysInMonth(y, m), wd1: weekday(y, m, 1) };
  for (let d = from; d <= mo.dim; d++) if (domMatches(c.daysOfMonth, mo, d) && dowMatches(c.daysOfWeek, mo, d)) return d;
  return undefined;
}

/** The first wall-clock minute ≥ `from` (its seconds ignored) the cron matches, or null if none is left. */
export function nextCronMinute(c: CronFields, from: LocalDateTime): LocalDateTime | null {
  let { year: y, month: m, day: d, hour: h, minute: mi } = from;
  for (;;) {
    const yy = ceil(c.years, y);
    if (yy === undefined) return null;
    if (yy !== y) [y, m, d, h, mi] = [yy, 1, 1, 0, 0];
    const mm = ceil(c.months, m);
    if (mm === undefined) {
      [y, m, d, h, mi] = [y + 1, 1, 1, 0, 0];
      continue;
    }
    if (mm !== m) [m, d, h, mi] = [mm, 1, 0, 0];
    const dd = nextDay(c, y, m, d);
    if (dd === undefined) {
      [m, d, h, mi] = [m + 1, 1, 0, 0];
      if (m > 12) [y, m] = [y + 1, 1];
      continue;
    }
    if (dd !== d) [d, h, mi] = [dd, 0, 0];
    const hh = ceil(c.hours, h);
    if (hh === undefined) {
      [d, h, mi] = [d + 1, 0, 0]; // nextDay handles d past the month's end
      continue;
    }
    if (hh !== h) [h, mi] = [hh, 0];
    const mn = ceil(c.minutes, mi);
    if (mn === undefined) {
      [h, mi] = [h + 1, 0]; // an hour of 24 finds no hour and moves to the next day
      continue;
    }
    return { year: y, month: m, day: d, hour: h, minute: mn, second: 0 };
  }
}

/** The wall-clock minute after `l` (seconds dropped). */
export function plusMinute(l: LocalDateTime): LocalDateTime {
  const d = new Date(0);
  d.setUTCFullYear(l.year, l.month - 1, l.day);
  d.setUTCHours(l.hour, l.minute + 1, 0, 0);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 };
}
