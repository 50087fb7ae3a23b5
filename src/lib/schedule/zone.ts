/**
 * Wall clock ⇄ instant in an IANA time zone, with Intl (Node ships full ICU data), so no tz database
 * dependency. UTC takes a fast path: EventBridge rules are UTC only and most schedules are.
 */
import type { LocalDateTime } from './types.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An IANA name Intl knows (e.g. America/New_York, Europe/London, UTC). Offsets such as "+01:00"
 * (which newer Intl versions accept) are refused: Scheduler's ScheduleExpressionTimezone takes zone
 * names.
 */
export function isValidTimezone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 50 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

const isUtc = (tz: string): boolean => tz === 'UTC' || tz === 'Etc/UTC';

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's offset from UTC at instant t, in ms (whole seconds). */
export function offsetAt(tz: string, t: number): number {
  if (isUtc(tz)) return 0;
  // Intl is ~3 µs a call; most instants sit in a UTC day whose two ends share an offset, and then so
  // does the whole day (zones change offset at most once a day), so one cached pair answers them.
  const day = Math.floor(t / DAY);
  let days = dayCache.get(tz);
  if (!days || days.size > 20_000) dayCache.set(tz, (days = new Map()));
  let ends = days.get(day);
  if (!ends) days.set(day, (ends = [intlOffset(tz, day * DAY), intlOffset(tz, day * DAY + DAY - 1000)]));
  return ends[0] === ends[1] ? ends[0] : intlOffset(tz, t);
}

const dayCache = new Map<string, Map<number, [number, number]>>();

function intlOffset(tz: string, t: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/** The wall clock at instant t (seconds precision is all callers need). */
export function toLocal(tz: string, t: number): LocalDateTime {
  const d = new Date(t + offsetAt(tz, t));
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
  };
}

export const wallMs = (l: LocalDateTime): number => {
  const d = new Date(0);
  // setUTCFullYear keeps years 0-99 literal (Date.UTC would map them to 1900-1999).
  d.setUTCFullYear(l.year, l.month - 1, l.day);
  d.setUTCHours(l.hour, l.minute, l.second, 0);
  return d.getTime();
};

/**
 * Every instant whose wall clock in tz is `l`, earliest first: one normally, none in a spring-forward
 * gap, two in a fall-back overlap. Assumes at most one offset change within a day of `l`, true of
 * every zone in use.
 */
export function instantsOf(tz: string, l: LocalDateTime): number[] {
  const w = wallMs(l);
  if (isUtc(tz)) return [w];
  const before = offsetAt(tz, w - DAY);
  const after = offsetAt(tz, w + DAY);
  const out: number[] = [];
  for (const o of before === after ? [before] : [before, after]) {
    const t = w - o;
    if (offsetAt(tz, t) === o) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/**
 * A wall clock read as Scheduler's one-time at(): a time in a gap is moved forward by the gap's length
 * (02:30 on a New York spring-forward day is 03:30 EDT) and an overlapped time is its first occurrence.
 * AWS does not document at() across DST; this is the rule of java.time and Temporal ('compatible'),
 * chosen so a one-time schedule still fires once rather than never.
 */
export function resolveAt(tz: string, l: LocalDateTime): number {
  const found = instantsOf(tz, l);
  if (found.length > 0) return found[0];
  const w = wallMs(l);
  // In a gap the offset before the change applies: w - before lands after the change, by the gap.
  return w - offsetAt(tz, w - DAY);
}

export { MINUTE };
