import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRateTimes, parseRate } from './rate.ts';
import { InvalidSchedule } from './errors.ts';

const T = Date.parse('2026-01-01T00:00:30Z');
const iso = (ts: number[]): string[] => ts.map((t) => new Date(t).toISOString());

test('rate() takes a singular unit for 1 and a plural one otherwise', () => {
  assert.equal(parseRate('rate(1 minute)').everyMs, 60_000);
  assert.equal(parseRate('rate(5 minutes)').everyMs, 300_000);
  assert.equal(parseRate('rate(1 hour)').everyMs, 3_600_000);
  assert.equal(parseRate('rate(12 hours)').everyMs, 43_200_000);
  assert.equal(parseRate('rate(1 day)').everyMs, 86_400_000);
  assert.equal(parseRate('rate(30 days)').everyMs, 30 * 86_400_000);
});

test('rate() refuses what AWS refuses', () => {
  for (const e of [
    'rate(1 minutes)', 'rate(5 minute)', 'rate(1 hours)', 'rate(1 days)', 'rate(10 hour)', 'rate(10 day)', 'rate(10 seconds)',
    'rate(10 years)', 'rate()', 'rate(10)', 'rate(10 minutess)', 'rate(foo minutes)', 'rate(0 minutes)', 'rate(-10 minutes)',
    'rate(10 MINUTES)', 'rate( 10 minutes )', 'rate(10  minutes)', 'rate(1.5 hours)', 'rate(05 minutes)', 'rate(10 minutes) ',
    'rate(99999999999 days)',
  ]) {
    assert.throws(() => parseRate(e), InvalidSchedule, e);
  }
});

test('a rate counts from its anchor: the first fire is one period after creation', () => {
  assert.deepEqual(iso(nextRateTimes(300_000, T, T, 3)), ['2026-01-01T00:05:30.000Z', '2026-01-01T00:10:30.000Z', '2026-01-01T00:15:30.000Z']);
});

test('asked from before the anchor, the anchor itself is the first occurrence', () => {
  assert.deepEqual(iso(nextRateTimes(3_600_000, T, T - 1, 2)), ['2026-01-01T00:00:30.000Z', '2026-01-01T01:00:30.000Z']);
});

test('after is exclusive: asked exactly at an occurrence, the next one comes back', () => {
  assert.deepEqual(nextRateTimes(60_000, T, T + 120_000, 1), [T + 180_000]);
});

test('far from the anchor the next occurrence is computed, not walked to', () => {
  const after = T + 10 * 365 * 86_400_000 + 7;
  const [t] = nextRateTimes(60_000, T, after, 1);
  assert.ok(t > after && t - after <= 60_000 && (t - T) % 60_000 === 0);
});

test('StartDate is inclusive and EndDate is inclusive', () => {
  const start = Date.parse('2026-02-01T10:00:00Z');
  assert.deepEqual(iso(nextRateTimes(86_400_000, start, 0, 2, start)), ['2026-02-01T10:00:00.000Z', '2026-02-02T10:00:00.000Z']);
  assert.deepEqual(iso(nextRateTimes(86_400_000, start, start, 5, start, start + 2 * 86_400_000)), ['2026-02-02T10:00:00.000Z', '2026-02-03T10:00:00.000Z']);
  assert.deepEqual(nextRateTimes(86_400_000, start, start + 3 * 86_400_000, 5, start, start + 2 * 86_400_000), []);
});

test('a StartDate after the anchor drops the occurrences before it but keeps the anchor grid', () => {
  const start = T + 150_000; // between the 2nd and 3rd minute
  assert.deepEqual(nextRateTimes(60_000, T, T, 2, start), [T + 180_000, T + 240_000]);
});
