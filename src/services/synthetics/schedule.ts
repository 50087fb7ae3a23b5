/**
 * A canary's Schedule.Expression: `rate(n minute(s)|hour(s))` from one minute to one hour,
 * `rate(0 minute)` / `rate(0 hour)` = run once when started, or an EventBridge `cron(...)` (UTC).
 * Parsing and fire times come from the shared schedule library; what Synthetics adds is the range
 * and the run-once form.
 */
import { InvalidSchedule, nextFireTimes, parseRuleSchedule, type Schedule } from '../../lib/schedule/index.ts';
import { validation } from './names.ts';

export type CanarySchedule = { kind: 'once' } | { kind: 'repeat'; schedule: Schedule; expression: string };

const ONCE = /^rate\(0 (minute|minutes|hour|hours)\)$/;
const MAX_TIMEOUT_S = 840;

export function parseCanarySchedule(expression: string): CanarySchedule {
  if (ONCE.test(expression)) return { kind: 'once' };
  const bad = () => validation(`Invalid schedule expression: ${expression}. Use rate(n minutes) or rate(1 hour) (1 minute to 1 hour), rate(0 minute) to run once, or cron(minutes hours day-of-month month day-of-week year).`);
  let schedule: Schedule;
  try {
    schedule = parseRuleSchedule(expression);
  } catch (e) {
    if (e instanceof InvalidSchedule) throw bad();
    throw e;
  }
  if (schedule.kind === 'rate' && (schedule.everyMs < 60_000 || schedule.everyMs > 3_600_000)) throw bad();
  return { kind: 'repeat', schedule, expression };
}

/** The shortest gap between runs (ms); undefined for run-once. A cron's is measured over its next runs. */
export function frequencyMs(s: CanarySchedule, now: number): number | undefined {
  if (s.kind === 'once') return undefined;
  if (s.schedule.kind === 'rate') return s.schedule.everyMs;
  const times = nextFireTimes(s.schedule, { after: now, count: 12 });
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++) gap = Math.min(gap, times[i] - times[i - 1]);
  return Number.isFinite(gap) ? gap : undefined;
}

/**
 * RunConfig.TimeoutInSeconds: AWS's default is the canary's frequency, at most 840 s; a timeout
 * longer than the frequency is refused (a run would overlap the next one).
 */
export function effectiveTimeout(s: CanarySchedule, requested: number | undefined, now: number): number {
  const freq = frequencyMs(s, now);
  const freqS = freq === undefined ? MAX_TIMEOUT_S : Math.min(MAX_TIMEOUT_S, Math.floor(freq / 1000));
  if (requested === undefined) return freqS;
  if (freq !== undefined && requested * 1000 > freq) {
    throw validation(`RunConfig.TimeoutInSeconds (${requested}) cannot be longer than the canary's frequency (${Math.floor(freq / 1000)} seconds).`);
  }
  return requested;
}

/** The next run after `after` (ms), anchored at the canary's start for rates. */
export function nextRunAt(s: CanarySchedule, anchor: number, after: number): number | undefined {
  if (s.kind === 'once') return undefined;
  return nextFireTimes(s.schedule, { after, count: 1, anchor })[0];
}
