import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../protocol/errors.ts';
import { parseTimeBound, parseTimeRange, parseTimezone } from './time-range.ts';

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const H = 3_600_000;

const invalid = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof ServiceError && e.code === 'InvalidParameterValue' && message.test(e.message));

test('relative bounds are ISO 8601 durations back from now', () => {
  const cases: [string, number][] = [
    ['-PT3H', NOW - 3 * H],
    ['-PT0H', NOW],
    ['P0D', NOW],
    ['-PT15M', NOW - 15 * 60_000],
    ['-PT90S', NOW - 90_000],
    ['-P1D', NOW - 24 * H],
    ['-P1W', NOW - 7 * 24 * H],
    ['-P1DT12H', NOW - 36 * H],
    ['-PT1.5H', NOW - 1.5 * H],
    ['-P1M', NOW - 30 * 24 * H],
    ['+PT1H', NOW + H],
  ];
  for (const [value, want] of cases) assert.equal(parseTimeBound(value, NOW, 'start'), want, value);
});

test('absolute bounds are ISO 8601 times with a zone, or dates', () => {
  assert.equal(parseTimeBound('2018-04-25T12:00:00.000Z', NOW, 'end'), Date.UTC(2018, 3, 25, 12));
  assert.equal(parseTimeBound('2018-04-25T12:00:00+02:00', NOW, 'end'), Date.UTC(2018, 3, 25, 10));
  assert.equal(parseTimeBound('2018-04-25', NOW, 'end'), Date.UTC(2018, 3, 25));
  for (const bad of ['yesterday', 'PT', '-P', 'P1DT', '2018-04-25T12:00:00', '1714000000', '']) {
    invalid(() => parseTimeBound(bad, NOW, 'start'), /for start is not valid/);
  }
});

test('the default range is the last three hours; start must come before end', () => {
  assert.deepEqual(parseTimeRange(undefined, undefined, NOW), { start: NOW - 3 * H, end: NOW });
  assert.deepEqual(parseTimeRange('-P7D', '-P1D', NOW), { start: NOW - 7 * 24 * H, end: NOW - 24 * H });
  invalid(() => parseTimeRange('-PT1H', '-PT2H', NOW), /start of the time range must be before its end/);
});

test('timezone is +hhmm or -hhmm, in minutes east of UTC', () => {
  assert.equal(parseTimezone(undefined), 0);
  assert.equal(parseTimezone('+0000'), 0);
  assert.equal(parseTimezone('+0130'), 90);
  assert.equal(parseTimezone('-0500'), -300);
  for (const bad of ['UTC', '+1', '+01:30', '+1500', '+0160']) invalid(() => parseTimezone(bad), /timezone is not valid/);
});
