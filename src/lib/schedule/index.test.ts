import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidSchedule, parseRuleSchedule, parseSchedulerExpression } from './index.ts';

/** Every expression here was refused by AWS (see errors.ts) or breaks a documented rule. */
const INVALID = [
  '', ' rate(10 minutes)', 'rate(10 minutes) ', 'rate( 10 minutes )', 'rate(1 minutes)', 'rate(5 minute)', 'rate(10 seconds)', 'rate(10 years)', 'rate()',
  'rate(10)', 'rate(foo minutes)', 'rate(0 minutes)', 'rate(-10 minutes)', 'rate(10 MINUTES)', 'RATE(10 minutes)', 'cron()', 'cron(INVALID)',
  'cron(0 1 * * * *)', 'cron(7 20 * * NOT *)', 'cron(0 dummy ? * MON-FRI *)', 'cron(71 8 1 * ? *)', 'cron(*/60 * * * ? *)', 'cron(15 12 * * 0)',
  'cron(15 12 ? * -1 *)', 'cron(0 0 1 * ? 2200)', 'every 5 minutes', '0 10 * * ? *', 'at()', `cron(${'1,'.repeat(200)}1 * * * ? *)`,
];

test('PutRule refuses invalid expressions with AWS\'s exact text', () => {
  for (const e of INVALID) {
    assert.throws(() => parseRuleSchedule(e), (err: unknown) => err instanceof InvalidSchedule && err.message === 'Parameter ScheduleExpression is not valid.', e);
  }
});

test('Scheduler refuses invalid expressions with its own text, quoting the expression', () => {
  for (const e of INVALID) {
    assert.throws(() => parseSchedulerExpression(e), (err: unknown) => err instanceof InvalidSchedule && err.message === `Invalid Schedule Expression ${e}.`, e);
  }
});

test('at() is a Scheduler expression only, and refuses a zone suffix or a bare date', () => {
  assert.throws(() => parseRuleSchedule('at(2026-01-01T00:00:00)'), InvalidSchedule);
  for (const e of ['at(2021-12-31T23:59:59Z)', 'at(2021-12-31)', 'at(2026-02-29T00:00:00)', 'at(2026-13-01T00:00:00)', 'at(2026-01-01T24:00:00)', 'at(2026-01-01T00:60:00)', 'at(2026-01-01 00:00:00)', 'at(0999-01-01T00:00:00)']) {
    assert.throws(() => parseSchedulerExpression(e), InvalidSchedule, e);
  }
  assert.deepEqual(parseSchedulerExpression('at(2024-02-29T23:59:59)'), { kind: 'at', expression: 'at(2024-02-29T23:59:59)', year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59 });
});

test('the detail says what was wrong, for logs', () => {
  try {
    parseRuleSchedule('cron(0 10 * * * *)');
    assert.fail('accepted');
  } catch (e) {
    assert.ok(e instanceof InvalidSchedule);
    assert.match(e.detail ?? '', /exactly one of day-of-month and day-of-week/);
  }
});

test('both APIs accept the documented examples', () => {
  for (const e of [
    'rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(1 day)', 'rate(7 days)', 'cron(0 10 * * ? *)', 'cron(15 12 * * ? *)', 'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)', 'cron(0/15 * * * ? *)', 'cron(0/10 * ? * MON-FRI *)', 'cron(0/5 8-17 ? * MON-FRI *)', 'cron(0/30 20-23 ? * MON-FRI *)',
    'cron(0/30 0-2 ? * MON-FRI *)', 'cron(0 9 ? * 2#1 *)', 'cron(0 * ? * * *)', 'cron(0 0 LW * ? *)', 'cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)',
    'cron(30-30 13-13 ? * 2,4,6 *)', 'cron(1-31/30 1-1 ? * 1,7 *)',
  ]) {
    assert.equal(parseRuleSchedule(e).expression, e);
    assert.equal(parseSchedulerExpression(e).expression, e);
  }
});

test('a non-string is refused, not crashed on', () => {
  assert.throws(() => parseRuleSchedule(undefined as unknown as string), InvalidSchedule);
  assert.throws(() => parseSchedulerExpression(42 as unknown as string), InvalidSchedule);
});
