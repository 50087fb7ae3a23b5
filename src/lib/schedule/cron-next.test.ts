import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCron } from './cron-parse.ts';
import { daysInMonth, nextCronMinute, plusMinute, weekday } from './cron-next.ts';
import type { CronFields, LocalDateTime } from './types.ts';

const at = (s: string): LocalDateTime => {
  const [d, t = '00:00'] = s.split('T');
  const [year, month, day] = d.split('-').map(Number);
  const [hour, minute] = t.split(':').map(Number);
  return { year, month, day, hour, minute, second: 0 };
};
const show = (l: LocalDateTime | null): string | null =>
  l && `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}T${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;

/** The first n matches from `from` (inclusive), as yyyy-mm-ddThh:mm. */
function run(expr: string, from: string, n: number): (string | null)[] {
  const c = parseCron(expr);
  const out: (string | null)[] = [];
  let cur: LocalDateTime = at(from);
  for (let i = 0; i < n; i++) {
    const m = nextCronMinute(c, cur);
    out.push(show(m));
    if (!m) break;
    cur = plusMinute(m);
  }
  return out;
}

test('calendar helpers: month lengths with leap years, SUN = 1', () => {
  assert.equal(daysInMonth(2024, 2), 29);
  assert.equal(daysInMonth(2026, 2), 28);
  assert.equal(daysInMonth(2100, 2), 28); // divisible by 100, not by 400
  assert.equal(daysInMonth(2000, 2), 29);
  assert.equal(weekday(2026, 3, 1), 1); // Sunday
  assert.equal(weekday(2026, 1, 31), 7); // Saturday
});

test('every day at 10:00, from before, at and after the time', () => {
  assert.deepEqual(run('cron(0 10 * * ? *)', '2026-01-01T09:59', 2), ['2026-01-01T10:00', '2026-01-02T10:00']);
  assert.deepEqual(run('cron(0 10 * * ? *)', '2026-01-01T10:00', 1), ['2026-01-01T10:00']);
  assert.deepEqual(run('cron(0 10 * * ? *)', '2026-12-31T10:01', 1), ['2027-01-01T10:00']);
});

test('every 5 minutes on weekdays 8:00-17:55 rolls over the weekend', () => {
  // 2026-01-02 is a Friday.
  assert.deepEqual(run('cron(0/5 8-17 ? * MON-FRI *)', '2026-01-02T17:54', 3), ['2026-01-02T17:55', '2026-01-05T08:00', '2026-01-05T08:05']);
});

test('L: the last day of each month, leap years included', () => {
  assert.deepEqual(run('cron(0 12 L * ? *)', '2024-01-31T12:01', 4), ['2024-02-29T12:00', '2024-03-31T12:00', '2024-04-30T12:00', '2024-05-31T12:00']);
  assert.deepEqual(run('cron(0 12 L 2 ? *)', '2024-03-01', 3), ['2025-02-28T12:00', '2026-02-28T12:00', '2027-02-28T12:00']);
});

test('29 February fires only in leap years; 31st only in long months; 30 February never', () => {
  assert.deepEqual(run('cron(0 0 29 2 ? *)', '2024-03-01', 3), ['2028-02-29T00:00', '2032-02-29T00:00', '2036-02-29T00:00']);
  // 2100 is not a leap year, so 2097-2103 has no 29 February at all.
  assert.deepEqual(run('cron(0 0 29 2 ? 2097-2103)', '2097-01-01', 1), [null]);
  assert.deepEqual(run('cron(0 0 31 * ? *)', '2026-04-01', 3), ['2026-05-31T00:00', '2026-07-31T00:00', '2026-08-31T00:00']);
  assert.deepEqual(run('cron(0 0 30 2 ? *)', '1970-01-01', 1), [null]);
});

test('W: the weekday nearest the day, never leaving the month', () => {
  // 2026-02-15 is a Sunday → Monday the 16th; 2026-01-15 is a Thursday.
  assert.deepEqual(run('cron(0 9 15W * ? *)', '2026-01-01', 3), ['2026-01-15T09:00', '2026-02-16T09:00', '2026-03-16T09:00']);
  // 2026-08-01 is a Saturday → Monday the 3rd, not Friday 31 July.
  assert.deepEqual(run('cron(0 9 1W * ? 2026)', '2026-08-01', 1), ['2026-08-03T09:00']);
  // 2026-05-31 is a Sunday → Friday the 29th, not Monday 1 June; 2026-01-31 is a Saturday → the 30th.
  assert.deepEqual(run('cron(0 9 31W * ? *)', '2026-01-01', 3), ['2026-01-30T09:00', '2026-03-31T09:00', '2026-05-29T09:00']);
  // 2026-02-14 is a Saturday → Friday the 13th.
  assert.deepEqual(run('cron(0 9 14W 2 ? *)', '2026-01-01', 1), ['2026-02-13T09:00']);
});

test('LW: the last weekday of the month', () => {
  // 31 Jan 2026 Sat → 30; 28 Feb Sat → 27; 31 Mar Tue; 30 Apr Thu; 31 May Sun → 29.
  assert.deepEqual(run('cron(0 0 LW * ? 2026)', '2026-01-01', 5), ['2026-01-30T00:00', '2026-02-27T00:00', '2026-03-31T00:00', '2026-04-30T00:00', '2026-05-29T00:00']);
});

test('#: the nth weekday of the month; a fifth one only in months that have it', () => {
  // Third Friday: 16 Jan, 20 Feb, 20 Mar 2026.
  assert.deepEqual(run('cron(0 0 ? * 6#3 *)', '2026-01-01', 3), ['2026-01-16T00:00', '2026-02-20T00:00', '2026-03-20T00:00']);
  // Fifth Monday: March 2026 (2, 9, 16, 23, 30), then June (1 … 29), then August (3 … 31).
  assert.deepEqual(run('cron(0 0 ? * MON#5 *)', '2026-01-01', 3), ['2026-03-30T00:00', '2026-06-29T00:00', '2026-08-31T00:00']);
});

test('nL: the last given weekday of the month; L alone is the last Saturday', () => {
  assert.deepEqual(run('cron(0 0 ? * 6L *)', '2026-01-01', 3), ['2026-01-30T00:00', '2026-02-27T00:00', '2026-03-27T00:00']);
  assert.deepEqual(run('cron(0 0 ? * 1L *)', '2026-10-01', 1), ['2026-10-25T00:00']);
  assert.deepEqual(run('cron(0 0 ? * L *)', '2026-01-01', 2), ['2026-01-31T00:00', '2026-02-28T00:00']);
});

test('year bounds: a cron whose years are over never fires again; 2199 is the last year', () => {
  assert.deepEqual(run('cron(0 0 1 1 ? 2020)', '2026-01-01', 1), [null]);
  assert.deepEqual(run('cron(59 23 31 12 ? 2199)', '2026-01-01', 2), ['2199-12-31T23:59', null]);
  assert.deepEqual(run('cron(0 0 1 1 ? 1970)', '1970-01-01', 2), ['1970-01-01T00:00', null]);
  assert.deepEqual(run('cron(* * * * ? *)', '2199-12-31T23:59', 2), ['2199-12-31T23:59', null]);
});

test('month and year ends roll over every field', () => {
  assert.deepEqual(run('cron(* * * * ? *)', '2026-12-31T23:59', 2), ['2026-12-31T23:59', '2027-01-01T00:00']);
  assert.deepEqual(run('cron(0 0 1 JAN,JUL ? *)', '2026-07-01T00:01', 1), ['2027-01-01T00:00']);
});

// An independent oracle: a direct reading of the fields, tried on every minute of every matching day.
function dateMatches(c: CronFields, y: number, m: number, d: number): boolean {
  const dim = daysInMonth(y, m);
  const wd = weekday(y, m, d);
  const isWeekday = (day: number) => day >= 1 && day <= dim && weekday(y, m, day) >= 2 && weekday(y, m, day) <= 6;
  const nearest = (n: number): number | undefined => {
    if (n > dim) return undefined;
    for (const cand of [n, n - 1, n + 1, n - 2, n + 2]) if (isWeekday(cand)) return cand;
    return undefined;
  };
  const f = c.daysOfMonth;
  const domOk = f.kind === 'any' || (f.kind === 'days' ? f.days.includes(d) : f.kind === 'last' ? d === dim : f.kind === 'lastWeekday' ? d === nearest(dim) : d === nearest(f.day));
  const g = c.daysOfWeek;
  const dowOk = g.kind === 'any' || (g.kind === 'days' ? g.days.includes(wd) : g.kind === 'last' ? wd === g.day && d > dim - 7 : wd === g.day && Math.floor((d - 1) / 7) + 1 === g.nth);
  return c.years.includes(y) && c.months.includes(m) && domOk && dowOk;
}

function oracle(c: CronFields, from: LocalDateTime): LocalDateTime | null {
  const day = new Date(Date.UTC(from.year, from.month - 1, from.day));
  for (let n = 0; n < 2000; n++, day.setUTCDate(day.getUTCDate() + 1)) {
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    if (!dateMatches(c, y, m, d)) continue;
    for (let minuteOfDay = n === 0 ? from.hour * 60 + from.minute : 0; minuteOfDay < 1440; minuteOfDay++) {
      const [hour, minute] = [Math.floor(minuteOfDay / 60), minuteOfDay % 60];
      if (c.hours.includes(hour) && c.minutes.includes(minute)) return { year: y, month: m, day: d, hour, minute, second: 0 };
    }
  }
  return null;
}

test('the field walk agrees with a day-by-day, minute-by-minute oracle', () => {
  const exprs = [
    'cron(0/7 */5 * * ? *)', 'cron(13 2 LW * ? *)', 'cron(0 0 ? * 3#2 *)', 'cron(30 23 ? * 1L *)', 'cron(0 12 1W * ? *)', 'cron(0 0 16W * ? *)',
    'cron(5 4 ? JAN,FEB,DEC SUN-TUE 2026,2027)', 'cron(59 23 L * ? *)', 'cron(0 6 2-5/2 * ? *)', 'cron(0 0 ? * 7#5 *)', 'cron(45 11 30W * ? *)',
    'cron(0 0 29 2 ? *)', 'cron(10,20 1-3 ? * 7L *)', 'cron(0 0 31W * ? *)',
  ];
  for (const e of exprs) {
    const c = parseCron(e);
    for (const start of ['2026-11-20T00:00', '2027-02-27T23:59', '2028-02-28T12:00']) {
      let cur = at(start);
      for (let i = 0; i < 6; i++) {
        const got = nextCronMinute(c, cur);
        assert.deepEqual(show(got), show(oracle(c, cur)), `${e} from ${show(cur)}`);
        if (!got) break;
        cur = plusMinute(got);
      }
    }
  }
});
