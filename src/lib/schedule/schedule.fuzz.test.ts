/**
 * Property/fuzz tests of the schedule expression parsers and nextFireTimes: any string either parses
 * or throws InvalidSchedule (never a TypeError, RangeError or a hang), and whatever parses yields fire
 * times that are increasing, after `after`, within the bounds and, for cron, on matching minutes.
 * OSPREY_LONG=1 runs 10× the cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidSchedule, nextFireTimes, parseRuleSchedule, parseSchedulerExpression, type Schedule } from './index.ts';
import { nextCronMinute } from './cron-next.ts';
import { toLocal } from './zone.ts';
import { anyString, expectOnly, fcParams, mutatedText, tokenSoup } from '../../../test/fuzz/support.ts';

const isScheduleError = (e: unknown): boolean => e instanceof InvalidSchedule;
const never = (): boolean => false;

const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Apia', 'Mars/Olympus', undefined];
const TOKENS = [
  'cron(', 'rate(', 'at(', ')', '(', '*', '?', 'L', 'W', 'LW', '#', '/', '-', ',', ' ', '0', '1', '5', '7', '15', '31', '59', '60', '2026',
  '2199', '2200', '1969', 'MON', 'FRI', 'SUN', 'JAN', 'DEC', 'minute', 'minutes', 'hour', 'hours', 'day', 'days', 'T', ':', '6L', '6#3', '15W',
];

/** Field-shaped pieces, valid and not, so many generated crons parse and reach nextFireTimes. */
const item = (lo: number, hi: number, extra: readonly string[] = []): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: lo - 1, max: hi + 1 }).map(String) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('*', String(lo)), fc.integer({ min: 0, max: hi + 1 })).map(([a, s]) => `${a}/${s}`) },
    { weight: 2, arbitrary: fc.constant('*') },
    { weight: 1, arbitrary: extra.length ? fc.constantFrom(...extra) : fc.constant('*') },
  );
const list = (lo: number, hi: number, extra: readonly string[] = []): fc.Arbitrary<string> =>
  fc.array(item(lo, hi, extra), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));
const dayFields = fc.oneof(
  fc.tuple(list(1, 31), fc.constant('?')),
  fc.tuple(fc.constant('?'), list(1, 7, ['MON', 'FRI-SAT', 'sun'])),
  fc.tuple(fc.constantFrom('L', 'LW', '1W', '15W', '31W', '30W'), fc.constant('?')),
  fc.tuple(fc.constant('?'), fc.constantFrom('L', '6L', '1L', 'FRIL', '6#3', '2#5', '7#1', '6#6')),
  fc.tuple(list(1, 31), list(1, 7)),
);
const cronExpr = fc
  .tuple(list(0, 59), list(0, 23), dayFields, list(1, 12, ['JAN', 'FEB-MAR', 'dec']), fc.oneof(list(1970, 2199), fc.constantFrom('*', '2026', '2020', '2199', '2026-2030')))
  .map(([mi, h, [dom, dow], mo, y]) => `cron(${mi} ${h} ${dom} ${mo} ${dow} ${y})`);
const rateExpr = fc.tuple(fc.integer({ min: -1, max: 100_000 }), fc.constantFrom('minute', 'minutes', 'hour', 'hours', 'day', 'days', 'MINUTES', 'seconds'))
  .map(([v, u]) => `rate(${v} ${u})`);
const atExpr = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('2300-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => `at(${d.toISOString().slice(0, 19)})`);
const expression = fc.oneof(
  { weight: 3, arbitrary: cronExpr },
  { weight: 1, arbitrary: rateExpr },
  { weight: 1, arbitrary: atExpr },
  { weight: 2, arbitrary: mutatedText(fc.oneof(cronExpr, rateExpr, atExpr)) },
  { weight: 2, arbitrary: anyString(120) },
  { weight: 2, arbitrary: tokenSoup(TOKENS, 20) },
);
const options = fc.record({
  after: fc.oneof(fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2250, 0, 1) }), fc.constantFrom(Date.UTC(2026, 2, 8, 6, 59), Date.UTC(2026, 10, 1, 5, 59), NaN, -1, Infinity, -Infinity, 8.64e15, -8.64e15, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60)),
  count: fc.integer({ min: -1, max: 6 }),
  timezone: fc.constantFrom(...ZONES),
  anchor: fc.option(fc.oneof(fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), fc.constantFrom(-8.64e15, 8.64e15, 0.5)), { nil: undefined }),
  startDate: fc.option(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }), { nil: undefined }),
  endDate: fc.option(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }), { nil: undefined }),
});
type Options = Parameters<typeof nextFireTimes>[1];

function checkTimes(s: Schedule, o: Options, times: number[]): void {
  assert.ok(times.length <= Math.max(0, o.count));
  for (let i = 0; i < times.length; i++) {
    assert.ok(Number.isFinite(times[i]) && Math.abs(times[i]) <= 8.64e15 && times[i] > o.after, `${s.expression}: ${times[i]} not after ${o.after}`);
    if (i > 0) assert.ok(times[i] > times[i - 1], `${s.expression}: not increasing`);
    if (s.kind === 'at') continue;
    if (o.startDate !== undefined) assert.ok(times[i] >= o.startDate);
    if (o.endDate !== undefined) assert.ok(times[i] <= o.endDate);
  }
  if (s.kind === 'cron' && (o.timezone ?? 'UTC') === 'UTC') {
    // In UTC every fire time is itself the cron's next matching minute.
    for (const t of times) assert.deepEqual(nextCronMinute(s, toLocal('UTC', t)), toLocal('UTC', t));
  }
}

function exercise(expr: string, o: Options): void {
  expectOnly(expr, () => parseRuleSchedule(expr), isScheduleError, 'parseRuleSchedule');
  const parsed = expectOnly(expr, () => parseSchedulerExpression(expr), isScheduleError, 'parseSchedulerExpression');
  if (!parsed.ok) {
    assert.equal((parsed.error as Error).message, `Invalid Schedule Expression ${expr}.`);
    return;
  }
  // An unknown zone is the only InvalidSchedule nextFireTimes may throw.
  const allowed = o.timezone === 'Mars/Olympus' ? isScheduleError : never;
  const r = expectOnly(expr, () => nextFireTimes(parsed.value, o), allowed, 'nextFireTimes');
  if (r.ok) checkTimes(parsed.value, o, r.value);
}

test('random strings and token soup: only InvalidSchedule, never a hang', () => {
  fc.assert(fc.property(fc.oneof(anyString(300), tokenSoup(TOKENS, 40)), options, exercise), fcParams(3000));
});

test('generated and mutated expressions: parse or InvalidSchedule; fire times are well-formed', () => {
  fc.assert(fc.property(expression, options, exercise), fcParams(3000));
});

test('long and repetitive inputs are refused quickly', () => {
  for (const e of ['cron(' + '1,'.repeat(100_000) + '1 * * * ? *)', 'rate(' + '9'.repeat(100_000) + ' minutes)', 'at(' + '('.repeat(50_000), 'cron(' + ' '.repeat(250) + ')']) {
    exercise(e, { after: 0, count: 3 });
  }
});
