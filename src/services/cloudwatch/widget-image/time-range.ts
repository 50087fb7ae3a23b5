/**
 * A widget's `start`/`end` (an ISO 8601 duration back from now, "-PT3H", or an absolute ISO time)
 * and `timezone` ("+hhmm"/"-hhmm", how the x axis is labelled).
 */
import { invalidWidget } from './errors.ts';

const DURATION = /^([+-])?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Years and months have no fixed length; a dashboard range only needs to be about right.
const UNITS = [365 * DAY, 30 * DAY, 7 * DAY, DAY, HOUR, MINUTE, SECOND];

/** Epoch ms for one bound. Unsigned durations ("P0D") look back like negative ones, as the console's do. */
export function parseTimeBound(value: string, now: number, field: string): number {
  const d = DURATION.exec(value);
  if (d && !value.endsWith('T') && d.slice(2).some((p) => p !== undefined)) {
    const ms = UNITS.reduce((sum, unit, i) => sum + Number(d[i + 2] ?? 0) * unit, 0);
    return d[1] === '+' ? now + ms : now - ms;
  }
  // Absolute times must say which instant they are: a date, and a time with a zone if there is a time.
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return t;
  }
  throw invalidWidget(`The value ${value} for ${field} is not valid: use an ISO 8601 duration such as -PT3H or an ISO 8601 time such as 2018-04-25T12:00:00.000Z.`);
}

export interface TimeRange {
  start: number;
  end: number;
}

export function parseTimeRange(start: string | undefined, end: string | undefined, now: number): TimeRange {
  const range = { start: parseTimeBound(start ?? '-PT3H', now, 'start'), end: parseTimeBound(end ?? '-PT0H', now, 'end') };
  if (range.start >= range.end) throw invalidWidget('The start of the time range must be before its end.');
  return range;
}

/** Minutes east of UTC; the x axis shows times shifted by this much. */
export function parseTimezone(value: string | undefined): number {
  if (value === undefined) return 0;
  const m = /^([+-])(\d{2})(\d{2})$/.exec(value);
  if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) {
    throw invalidWidget(`The value ${value} for timezone is not valid: use +hhmm or -hhmm, such as +0130.`);
  }
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
