import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextFireTimes } from './next.ts';
import { parseRuleSchedule, parseSchedulerExpression } from './index.ts';
import { InvalidSchedule } from './errors.ts';

const iso = (ts: number[]): string[] => ts.map((t) => new Date(t).toISOString().replace('.000Z', 'Z'));
const ms = Date.parse;
const NY = 'America/New_York';
const LONDON = 'Europe/London';
const sched = (e: string, after: string, count: number, timezone?: string, more: { startDate?: number; endDate?: number; anchor?: number } = {}) =>
  iso(nextFireTimes(parseSchedulerExpression(e), { after: ms(after), count, timezone, ...more }));

test('rules: cron is UTC and after is exclusive', () => {
  const s = parseRuleSchedule('cron(15 12 * * ? *)');
  assert.deepEqual(iso(nextFireTimes(s, { after: ms('2026-01-01T12:15:00Z'), count: 2 })), ['2026-01-02T12:15:00Z', '2026-01-03T12:15:00Z']);
  assert.deepEqual(iso(nextFireTimes(s, { after: ms('2026-01-01T12:14:59.999Z'), count: 1 })), ['2026-01-01T12:15:00Z']);
});

test('rules: a rate counts from the rule creation time', () => {
  const created = ms('2026-01-01T08:03:17Z');
  const s = parseRuleSchedule('rate(1 hour)');
  assert.deepEqual(iso(nextFireTimes(s, { after: created, count: 2, anchor: created })), ['2026-01-01T09:03:17Z', '2026-01-01T10:03:17Z']);
});

test('without an anchor or StartDate a rate is aligned to the epoch', () => {
  assert.deepEqual(sched('rate(15 minutes)', '2026-01-01T08:03:17Z', 2), ['2026-01-01T08:15:00Z', '2026-01-01T08:30:00Z']);
});

test('a cron that never fires again returns nothing, and count 0 asks for nothing', () => {
  assert.deepEqual(sched('cron(0 0 1 1 ? 2020)', '2026-01-01T00:00:00Z', 5), []);
  assert.deepEqual(sched('cron(0 0 * * ? *)', '2026-01-01T00:00:00Z', 0), []);
});

test('Scheduler cron in New York: the 02:30 that spring-forward removes is skipped', () => {
  // 2026-03-08 02:00 EST → 03:00 EDT.
  assert.deepEqual(sched('cron(30 2 * * ? *)', '2026-03-06T00:00:00Z', 3, NY), ['2026-03-06T07:30:00Z', '2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z']);
  assert.deepEqual(sched('cron(0/15 * * * ? *)', '2026-03-08T06:40:00Z', 3, NY), ['2026-03-08T06:45:00Z', '2026-03-08T07:00:00Z', '2026-03-08T07:15:00Z']);
});

test('Scheduler cron in New York: the 01:30 that fall-back repeats fires once, at its first occurrence', () => {
  // 2026-11-01 02:00 EDT → 01:00 EST.
  assert.deepEqual(sched('cron(30 1 * * ? *)', '2026-10-31T00:00:00Z', 3, NY), ['2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']);
  // Asked during the second pass of the repeated hour (01:10 EST), the 01:45 already happened (EDT).
  assert.deepEqual(sched('cron(45 1 * * ? *)', '2026-11-01T06:10:00Z', 1, NY), ['2026-11-02T06:45:00Z']);
});

test('Scheduler cron in London: spring-forward gap skipped, fall-back hour run once', () => {
  // 2026-03-29 01:00 GMT → 02:00 BST; 2026-10-25 02:00 BST → 01:00 GMT.
  assert.deepEqual(sched('cron(30 1 * * ? *)', '2026-03-28T00:00:00Z', 3, LONDON), ['2026-03-28T01:30:00Z', '2026-03-30T00:30:00Z', '2026-03-31T00:30:00Z']);
  assert.deepEqual(sched('cron(0/30 * * * ? *)', '2026-10-24T23:45:00Z', 4, LONDON), ['2026-10-25T00:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T02:00:00Z', '2026-10-25T02:30:00Z']);
  assert.deepEqual(sched('cron(0 9 ? * MON-FRI *)', '2026-10-23T09:00:00Z', 2, LONDON), ['2026-10-26T09:00:00Z', '2026-10-27T09:00:00Z']);
});

test('Scheduler rates ignore the zone: a day is 24 hours across DST', () => {
  const anchor = ms('2026-03-07T12:00:00Z');
  assert.deepEqual(sched('rate(1 day)', '2026-03-07T12:00:00Z', 2, NY, { anchor }), ['2026-03-08T12:00:00Z', '2026-03-09T12:00:00Z']);
});

test('at() is a wall time in the schedule zone, fires once, and ignores Start/EndDate', () => {
  assert.deepEqual(sched('at(2026-07-04T09:00:00)', '2026-01-01T00:00:00Z', 5, NY), ['2026-07-04T13:00:00Z']);
  assert.deepEqual(sched('at(2026-07-04T09:00:00)', '2026-01-01T00:00:00Z', 5), ['2026-07-04T09:00:00Z']);
  assert.deepEqual(sched('at(2026-07-04T09:00:00)', '2026-07-04T13:00:00Z', 5, NY), []);
  assert.deepEqual(sched('at(2026-07-04T09:00:00)', '2026-01-01T00:00:00Z', 1, NY, { endDate: ms('2026-02-01T00:00:00Z') }), ['2026-07-04T13:00:00Z']);
  // DST: a nonexistent time moves forward by the gap; a repeated one is its first occurrence.
  assert.deepEqual(sched('at(2026-03-08T02:30:00)', '2026-01-01T00:00:00Z', 1, NY), ['2026-03-08T07:30:00Z']);
  assert.deepEqual(sched('at(2026-10-25T01:30:00)', '2026-01-01T00:00:00Z', 1, LONDON), ['2026-10-25T00:30:00Z']);
  assert.deepEqual(sched('at(2022-12-31T23:59:59)', '2026-01-01T00:00:00Z', 1), []);
});

test('cron StartDate and EndDate bound the occurrences, both inclusive', () => {
  const startDate = ms('2026-01-05T10:00:00Z');
  const endDate = ms('2026-01-07T10:00:00Z');
  assert.deepEqual(sched('cron(0 10 * * ? *)', '2026-01-01T00:00:00Z', 5, undefined, { startDate, endDate }), ['2026-01-05T10:00:00Z', '2026-01-06T10:00:00Z', '2026-01-07T10:00:00Z']);
});

test('an unknown time zone is an InvalidSchedule, not a RangeError', () => {
  assert.throws(() => nextFireTimes(parseSchedulerExpression('cron(0 10 * * ? *)'), { after: 0, count: 1, timezone: 'Mars/Olympus' }), InvalidSchedule);
});

test('10,000 schedules get their next fire time quickly (no minute-by-minute scan)', () => {
  const exprs = ['cron(0/5 8-17 ? * MON-FRI *)', 'cron(0 0 LW * ? *)', 'cron(15 10 ? * 6L 2027-2030)', 'rate(7 minutes)', 'cron(0 0 29 2 ? *)', 'cron(0 0 1 1 ? 2020)', 'cron(0 0 ? * 2#5 2199)'];
  const schedules = exprs.map(parseSchedulerExpression);
  const after = ms('2026-01-01T00:00:00Z');
  for (const timezone of ['UTC', NY]) {
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) nextFireTimes(schedules[i % schedules.length], { after: after + i * 61_000, count: 1, timezone });
    const took = performance.now() - t0;
    // ~15 ms on the 2-core CI machine; the bound leaves room for a busy one.
    assert.ok(took < 1500, `${timezone}: ${Math.round(took)} ms for 10,000`);
  }
});
