/**
 * rate(value unit). AWS accepts exactly `rate(<positive integer> <unit>)` with one space, lower-case
 * units, the singular for 1 and the plural otherwise (PutRule refuses `rate(1 minutes)`,
 * `rate(10 minute)`, `rate(10 MINUTES)`, `rate( 10 minutes )` and `rate(0 minutes)`; Scheduler refuses
 * the same shapes — see errors.ts for the sources).
 */
import { refuse } from './errors.ts';

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const RATE = /^rate\(([1-9][0-9]{0,9}) (minute|hour|day)(s?)\)$/;

export function parseRate(expr: string): { kind: 'rate'; everyMs: number; expression: string } {
  const m = RATE.exec(expr);
  if (!m) return refuse('rate() takes "<positive integer> minute(s)|hour(s)|day(s)"');
  const value = Number(m[1]);
  if ((value === 1) !== (m[3] === '')) return refuse('rate(): the unit is singular for 1 and plural otherwise');
  const everyMs = value * UNIT_MS[m[2]];
  // Ten digits of days is still far below 2^53 ms, so this only guards against future edits.
  if (!Number.isSafeInteger(everyMs)) return refuse('rate(): value too large');
  return { kind: 'rate', everyMs, expression: expr };
}

/**
 * Occurrences of a rate are anchor + k·every (k ≥ 0): the anchor is when the rate starts counting
 * (a rule's creation time, a Scheduler schedule's StartDate or creation time). A Scheduler day is 24
 * hours whatever the clocks do (AWS re:Post "How can I adjust my Amazon EventBridge schedule for
 * daylight saving?"), so rates ignore the time zone.
 */
export function nextRateTimes(everyMs: number, anchor: number, after: number, count: number, startDate?: number, endDate?: number): number[] {
  const from = startDate !== undefined && startDate - 1 > after ? startDate - 1 : after;
  let k = from < anchor ? 0 : Math.floor((from - anchor) / everyMs) + 1;
  const out: number[] = [];
  while (out.length < count) {
    const t = anchor + k * everyMs;
    // Past Date's range (±8.64e15 ms) an instant means nothing to a caller.
    if (!(Math.abs(t) <= 8.64e15) || (endDate !== undefined && t > endDate)) break;
    if (t > from) out.push(t);
    k++;
  }
  return out;
}
