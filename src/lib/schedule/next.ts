/**
 * nextFireTimes: the next `count` occurrences of a schedule strictly after `after`, in epoch ms.
 *
 * Time zones and DST (cron and at only; rates are fixed durations). EventBridge rules are UTC, the
 * default here. For Scheduler, AWS documents (AWS-official re:Post knowledge-center article "How can I
 * adjust my Amazon EventBridge schedule for daylight saving?", which summarises the "Daylight savings
 * time on EventBridge Scheduler" section of the Scheduler user guide's "Schedule types"): when clocks
 * spring forward, an invocation whose cron time falls on the non-existent local time is skipped; when
 * they fall back, the schedule runs only once for the repeated local time. Which of the two instants is undocumented; this module fires at the first (the
 * earlier offset), so a `0/15 * ...` cron is silent for the second pass of the repeated hour.
 * at() in a gap or overlap: see zone.ts resolveAt.
 *
 * StartDate / EndDate (Scheduler): occurrences before StartDate or after EndDate are dropped (the API
 * reference: invocations "might occur on, or after, the StartDate" and "might stop on, or before, the
 * EndDate"), and both are ignored for at() ("EventBridge Scheduler ignores StartDate/EndDate for
 * one-time schedules").
 */
import { InvalidSchedule } from './errors.ts';
import { nextCronMinute, plusMinute } from './cron-next.ts';
import { nextRateTimes } from './rate.ts';
import { instantsOf, isValidTimezone, resolveAt, toLocal } from './zone.ts';
import type { CronFields, Schedule } from './types.ts';

export interface NextOptions {
  /** Epoch ms; occurrences strictly after it. */
  after: number;
  /** How many to return (fewer when the schedule ends); meant to be small, the work is linear in it. */
  count: number;
  /** IANA zone for cron() and at(); default UTC. */
  timezone?: string;
  /**
   * rate(): the instant the rate counts from; occurrences are anchor + k·every, k ≥ 0. Pass the rule's
   * creation time (EventBridge) or the schedule's StartDate, else its creation time (Scheduler).
   * Defaults to startDate, else the epoch (rates aligned to whole minutes/hours/days of UTC).
   */
  anchor?: number;
  startDate?: number;
  endDate?: number;
}

export function nextFireTimes(s: Schedule, opts: NextOptions): number[] {
  const { after, startDate, endDate } = opts;
  const count = Math.floor(opts.count);
  const tz = opts.timezone ?? 'UTC';
  if (!Number.isFinite(after) || !(count > 0)) return [];
  if (s.kind === 'rate') return nextRateTimes(s.everyMs, opts.anchor ?? startDate ?? 0, after, count, startDate, endDate);
  // Not an AWS text: handlers validate ScheduleExpressionTimezone with isValidTimezone first.
  if (!isValidTimezone(tz)) throw new InvalidSchedule(`Invalid time zone ${tz}.`, 'unknown time zone');
  if (s.kind === 'at') {
    const t = resolveAt(tz, s);
    return t > after ? [t] : [];
  }
  return nextCronTimes(s, tz, after, count, startDate, endDate);
}

// Cron years are 1970-2199; searching outside (give or take a day of zone offset) finds nothing, and
// Intl refuses instants outside Date's range.
const CRON_FIRST = Date.UTC(1969, 11, 30);
const CRON_END = Date.UTC(2200, 0, 2);

function nextCronTimes(c: CronFields, tz: string, after: number, count: number, startDate?: number, endDate?: number): number[] {
  const bound = startDate !== undefined && startDate - 1 > after ? startDate - 1 : after;
  if (bound >= CRON_END) return [];
  const from = Math.max(bound, CRON_FIRST);
  const out: number[] = [];
  // Searching from the wall-clock minute of `from` is enough: wall → first instant is increasing, so
  // no earlier wall time can map after `from`. Candidates at or before it (the second pass of a
  // fall-back hour) are passed over below.
  let cursor = toLocal(tz, from);
  while (out.length < count) {
    const m = nextCronMinute(c, cursor);
    if (m === null) break;
    cursor = plusMinute(m);
    const instants = instantsOf(tz, m);
    if (instants.length === 0) continue; // spring-forward gap: skipped
    const t = instants[0]; // fall-back overlap: once, at the first occurrence
    if (endDate !== undefined && t > endDate) break;
    if (t > bound) out.push(t);
  }
  return out;
}
