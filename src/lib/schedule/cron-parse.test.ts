import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCron } from './cron-parse.ts';
import { InvalidSchedule } from './errors.ts';

const range = (a: number, b: number, step = 1): number[] => Array.from({ length: Math.floor((b - a) / step) + 1 }, (_, i) => a + i * step);

test('fields expand to sorted value sets', () => {
  const c = parseCron('cron(0/15 8-17 ? JAN,MAR-APR MON-FRI 2026-2028)');
  assert.deepEqual(c.minutes, [0, 15, 30, 45]);
  assert.deepEqual(c.hours, range(8, 17));
  assert.deepEqual(c.daysOfMonth, { kind: 'any' });
  assert.deepEqual(c.months, [1, 3, 4]);
  assert.deepEqual(c.daysOfWeek, { kind: 'days', days: [2, 3, 4, 5, 6] });
  assert.deepEqual(c.years, [2026, 2027, 2028]);
});

test('* covers the field, and the year field runs 1970-2199', () => {
  const c = parseCron('cron(* * * * ? *)');
  assert.deepEqual(c.minutes, range(0, 59));
  assert.deepEqual(c.hours, range(0, 23));
  assert.deepEqual(c.daysOfMonth, { kind: 'days', days: range(1, 31) });
  assert.deepEqual(c.years, range(1970, 2199));
});

test('steps: a/n runs from a to the top, */n from the bottom, a-b/n within the range', () => {
  assert.deepEqual(parseCron('cron(1/10 * * * ? *)').minutes, [1, 11, 21, 31, 41, 51]);
  assert.deepEqual(parseCron('cron(*/20 */6 * * ? *)').hours, [0, 6, 12, 18]);
  assert.deepEqual(parseCron('cron(0 0 1-31/30 * ? *)').daysOfMonth, { kind: 'days', days: [1, 31] });
  assert.deepEqual(parseCron('cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)').minutes, range(0, 15));
  assert.deepEqual(parseCron('cron(0 0 ? * 1/2 *)').daysOfWeek, { kind: 'days', days: [1, 3, 5, 7] });
  assert.deepEqual(parseCron('cron(0 0 1 */3 ? 2020/100)').years, [2020, 2120]);
});

test('names are case-insensitive and SUN is 1', () => {
  assert.deepEqual(parseCron('cron(0 0 ? jan-Feb sun,SAT *)').months, [1, 2]);
  assert.deepEqual(parseCron('cron(0 0 ? * sun,SAT *)').daysOfWeek, { kind: 'days', days: [1, 7] });
});

test('L, LW, nW in day-of-month; nL, L and n#k in day-of-week', () => {
  assert.deepEqual(parseCron('cron(0 0 L * ? *)').daysOfMonth, { kind: 'last' });
  assert.deepEqual(parseCron('cron(0 0 LW * ? *)').daysOfMonth, { kind: 'lastWeekday' });
  assert.deepEqual(parseCron('cron(0 0 15W * ? *)').daysOfMonth, { kind: 'nearestWeekday', day: 15 });
  assert.deepEqual(parseCron('cron(0 0 ? * 6L *)').daysOfWeek, { kind: 'last', day: 6 });
  assert.deepEqual(parseCron('cron(0 0 ? * FRIL *)').daysOfWeek, { kind: 'last', day: 6 });
  assert.deepEqual(parseCron('cron(0 0 ? * L *)').daysOfWeek, { kind: 'last', day: 7 });
  assert.deepEqual(parseCron('cron(0 0 ? * 6#3 *)').daysOfWeek, { kind: 'nth', day: 6, nth: 3 });
  assert.deepEqual(parseCron('cron(0 0 ? * MON#1 *)').daysOfWeek, { kind: 'nth', day: 2, nth: 1 });
});

test('fields may be separated by several blanks', () => {
  assert.deepEqual(parseCron('cron(0  10 *\t* ? *)').hours, [10]);
});

test('invalid cron expressions are refused', () => {
  for (const e of [
    'cron()', 'cron(INVALID)', 'cron(0 1 * * * *)', 'cron(0 1 ? * ? *)', 'cron(7 20 * * NOT *)', 'cron(0 dummy ? * MON-FRI *)',
    'cron(71 8 1 * ? *)', 'cron(0 24 * * ? *)', 'cron(0 0 0 * ? *)', 'cron(0 0 32 * ? *)', 'cron(0 0 1 13 ? *)', 'cron(0 0 1 0 ? *)',
    'cron(0 0 ? * 0 *)', 'cron(0 0 ? * 8 *)', 'cron(0 0 1 * ? 1969)', 'cron(0 0 1 * ? 2200)', 'cron(*/60 * * * ? *)', 'cron(0/0 * * * ? *)',
    'cron(0 0 1 * ?)', 'cron(0 0 1 * ? * *)', 'cron(15 12 * * 0)', 'cron(15 12 ? * -1 *)', 'cron( 0 10 * * ? * )', 'cron(0 10 * * ? *',
    'cron(0/5, 9-18, ?, *, MON-FRI, *)', 'cron(5-1 * * * ? *)', 'cron(0 0 ? * FRI-MON *)', 'cron(0 0 ? * 6#6 *)', 'cron(0 0 ? * 6#0 *)',
    'cron(0 0 ? * 6#3,2#1 *)', 'cron(0 0 L,15 * ? *)', 'cron(0 0 32W * ? *)', 'cron(0 0 0W * ? *)', 'cron(0 0 W * ? *)', 'cron(0 0 L-3 * ? *)',
    'cron(0 0 ? * 8L *)', 'cron(0 0 ? * XYZ *)', 'cron(0 0 1 JANUARY ? *)', 'cron(0 0 1 * ? ,)', 'cron(0 0 1 * ? 2026-)', 'cron(1-2-3 0 1 * ? *)',
    'cron(0 0 1 * ? */)', 'cron(? 0 1 * ? *)', 'cron(0 0 1 * L *)', 'cron(0 0 1 * ? L)', 'cron(0 0 1W * 2 *)', 'cron(0 0 ? * MON-FRI/2/3 *)',
    'cron(0 0 1 * ? 00002026)', 'cron(0 0 1 * ? +2026)',
  ]) {
    assert.throws(() => parseCron(e), InvalidSchedule, e);
  }
});
