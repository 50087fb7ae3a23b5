/**
 * When a schedule fires: its scheduled occurrences (at / rate / cron in ScheduleExpressionTimezone,
 * bounded by StartDate / EndDate, rates counted from StartDate or else the creation time) and the
 * moment each one is invoked.
 *
 * FlexibleTimeWindow FLEXIBLE: AWS invokes "within" MaximumWindowInMinutes after the scheduled time,
 * at a time of its choosing. Osprey picks the offset from a hash of the schedule ARN and the
 * scheduled time (sha256, uniform in [0, window)), so an occurrence always fires at the same instant
 * — across restarts and across processes sharing the store — while different schedules and
 * occurrences spread over the window. Mode OFF fires at the scheduled time.
 */
import { createHash } from 'node:crypto';
import type { FlexibleTimeWindow } from '@aws-sdk/client-scheduler';
import { nextFireTimes, parseSchedulerExpression } from '../../lib/schedule/index.ts';

export interface Timing {
  arn: string;
  expression: string;
  timezone?: string;
  startDate?: number;
  endDate?: number;
  flexibleWindow: FlexibleTimeWindow;
  createdAt: number;
}

export interface Occurrence {
  /** The time the schedule names (what `<aws.scheduler.scheduled-time>` says). */
  scheduledAt: number;
  /** When it is invoked: scheduledAt plus the flexible-window offset. */
  fireAt: number;
}

/** Occurrences computed per step once the first ones did not fire late enough (a FLEXIBLE window, a long downtime). */
const BATCH = 64;

/** Parsed expressions: firing 10,000 schedules in a second parses the same few expressions. */
const parsed = new Map<string, ReturnType<typeof parseSchedulerExpression>>();
const MAX_PARSED = 1000;

function parse(expression: string): ReturnType<typeof parseSchedulerExpression> {
  let p = parsed.get(expression);
  if (p === undefined) {
    p = parseSchedulerExpression(expression);
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(expression, p);
  }
  return p;
}

export const windowMs = (w: FlexibleTimeWindow): number => (w.Mode === 'FLEXIBLE' ? (w.MaximumWindowInMinutes ?? 0) * 60_000 : 0);

export function flexOffsetMs(t: Timing, scheduledAt: number): number {
  const w = windowMs(t.flexibleWindow);
  if (w <= 0) return 0;
  return createHash('sha256').update(`${t.arn}|${scheduledAt}`).digest().readUIntBE(0, 6) % w;
}

/** Scheduled occurrences strictly after `after` (throws InvalidSchedule for a bad expression). */
export function scheduledAfter(t: Timing, after: number, count: number): number[] {
  return nextFireTimes(parse(t.expression), {
    after, count, timezone: t.timezone ?? 'UTC', anchor: t.startDate ?? t.createdAt, startDate: t.startDate, endDate: t.endDate,
  });
}

/**
 * The first occurrence scheduled after `after` whose fire time is at or after `notBefore`
 * (undefined: none — an at() that passed, or the EndDate reached).
 */
export function nextOccurrence(t: Timing, after: number, notBefore: number): Occurrence | undefined {
  // An occurrence scheduled before notBefore - window cannot fire at or after notBefore: skip them
  // in one step (after a long downtime, a rate(1 minute) would otherwise be walked minute by minute).
  let cursor = Math.max(after, notBefore - windowMs(t.flexibleWindow) - 1);
  // Usually the first occurrence is the one (each costs a cron step): ask for one, then batches.
  for (let count = 1; ; count = BATCH) {
    const batch = scheduledAfter(t, cursor, count);
    for (const scheduledAt of batch) {
      const fireAt = scheduledAt + flexOffsetMs(t, scheduledAt);
      if (fireAt >= notBefore) return { scheduledAt, fireAt };
    }
    if (batch.length < count) return undefined;
    cursor = batch[batch.length - 1]!;
  }
}

/** The occurrence a timer due at `fireAt` stands for (the timer keeps only the fire time). */
export function occurrenceFiringAt(t: Timing, fireAt: number): Occurrence {
  const w = windowMs(t.flexibleWindow);
  if (w <= 0) return { scheduledAt: fireAt, fireAt };
  // Occurrences are at least a minute apart, so the window holds at most w / 1 min + 1 of them.
  const candidates = scheduledAfter(t, fireAt - w, Math.ceil(w / 60_000) + 1);
  const scheduledAt = candidates.find((s) => s <= fireAt && s + flexOffsetMs(t, s) === fireAt);
  return { scheduledAt: scheduledAt ?? fireAt, fireAt };
}
