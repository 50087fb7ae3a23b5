import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baselineOf, MIN_BASELINE_INTERVALS, MIN_INSIGHT_EVENTS, perMinute, step, thresholdOf, unusual, type Baseline } from './decide.ts';

/** The baseline of an explicit series of per-interval counts (zeros included). */
const of = (counts: number[]): Baseline =>
  baselineOf(counts.reduce((a, b) => a + b, 0), counts.reduce((a, b) => a + b * b, 0), counts.length);

test('the baseline is the mean and population deviation of per-interval counts, empty intervals counting as 0', () => {
  const b = of([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(b.mean, 5);
  assert.equal(b.stddev, 2);
  assert.equal(thresholdOf(b), 11);
  // Sums over the non-empty intervals with the interval count give the same baseline as the zeros would.
  assert.deepEqual(baselineOf(6, 20, 4), of([2, 4, 0, 0]));
  assert.deepEqual(baselineOf(0, 0, 0), { mean: 0, stddev: 0, intervals: 0 });
});

test('an interval is unusual above mean + 3σ and only with at least the minimum number of events', () => {
  const calm = of([1, 0, 2, 1, 0, 1, 1, 2]);
  assert.ok(unusual(50, calm));
  assert.ok(!unusual(MIN_INSIGHT_EVENTS - 1, of([0, 0, 0, 0])), 'a few calls to an unused API are not unusual');
  assert.ok(unusual(MIN_INSIGHT_EVENTS, of([0, 0, 0, 0])));
  const busy = of([100, 110, 90, 100]);
  assert.ok(!unusual(120, busy), `within 3σ of a busy API (threshold ${thresholdOf(busy)})`);
  assert.ok(unusual(150, busy));
});

test('start needs a baseline of the minimum span; an open insight continues while unusual against its frozen baseline, then ends', () => {
  const zeros = (n: number) => of(Array.from({ length: n }, () => 0));
  assert.equal(step(3, undefined, zeros(10)), 'none');
  assert.equal(step(50, undefined, zeros(MIN_BASELINE_INTERVALS - 1)), 'none', 'too little history');
  assert.equal(step(50, undefined, undefined), 'none');
  assert.equal(step(50, undefined, zeros(MIN_BASELINE_INTERVALS)), 'start');
  const frozen = of([1, 1, 2, 0, 1]);
  assert.equal(step(40, frozen, undefined), 'continue');
  assert.equal(step(0, frozen, undefined), 'end');
  assert.equal(step(MIN_INSIGHT_EVENTS - 1, frozen, undefined), 'end', 'a trickle below the minimum ends it');
});

test('rates are reported per minute whatever the interval', () => {
  assert.equal(perMinute(5, 60_000), 5);
  assert.equal(perMinute(5, 1000), 300);
});
