import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Distribution, summarize } from './metric-observation.ts';

test('summarize gives every PutMetricData form the same statistics', () => {
  assert.deepEqual(summarize({ value: 2.5 }), { sampleCount: 1, sum: 2.5, min: 2.5, max: 2.5, values: [2.5], counts: [1] });
  assert.deepEqual(summarize({ values: [123.4, 99] }), { sampleCount: 2, sum: 222.4, min: 99, max: 123.4, values: [123.4, 99], counts: [1, 1] });
  assert.deepEqual(summarize({ values: [1, 5], counts: [3, 2] }), { sampleCount: 5, sum: 13, min: 1, max: 5, values: [1, 5], counts: [3, 2] });
  assert.deepEqual(summarize({ statisticValues: { sampleCount: 4, sum: 10, minimum: 1, maximum: 4 } }),
    { sampleCount: 4, sum: 10, min: 1, max: 4, values: [], counts: [] });
  // A statistic set with the distribution it summarises (histogram form): statistics as given.
  assert.deepEqual(summarize({ statisticValues: { sampleCount: 3, sum: 5.1, minimum: 0.9, maximum: 3.2 }, values: [1, 3], counts: [2, 1] }),
    { sampleCount: 3, sum: 5.1, min: 0.9, max: 3.2, values: [1, 3], counts: [2, 1] });
  // A zero count contributes nothing but stays in the distribution as sent.
  assert.deepEqual(summarize({ values: [7, 100], counts: [1, 0] }), { sampleCount: 1, sum: 7, min: 7, max: 7, values: [7, 100], counts: [1, 0] });
});

test('summarize refuses what no CloudWatch form allows', () => {
  // Non-finite inputs are each publisher's to refuse (PutMetricData, EMF, metric filters validate them).
  assert.throws(() => summarize({ values: [] }), RangeError);
  assert.throws(() => summarize({ values: [1, 2], counts: [1] }), RangeError);
  assert.throws(() => summarize({ values: [1], counts: [-1] }), RangeError);
  assert.throws(() => summarize({ values: [1], counts: [0] }), RangeError);
  assert.throws(() => summarize({ statisticValues: { sampleCount: 0, sum: 0, minimum: 0, maximum: 0 } }), RangeError);
  assert.throws(() => summarize({ statisticValues: { sampleCount: 1, sum: 0, minimum: 2, maximum: 1 } }), RangeError);
  assert.throws(() => summarize({ statisticValues: { sampleCount: 1, sum: 1, minimum: 1, maximum: 1 }, values: [1, 2], counts: [1] }), RangeError);
});

test('summarize refuses totals of finite inputs that overflow a double', () => {
  assert.throws(() => summarize({ values: [1e300, 1e300], counts: [1e10, 1] }), /sum must be a finite number/);
  assert.throws(() => summarize({ values: [1, 2], counts: [1.7e308, 1.7e308] }), /sampleCount must be a finite number/);
});

test('Distribution collapses repeated values into counts in order of first appearance', () => {
  const d = new Distribution();
  for (const v of [1, 0, 1, 1, -0, 3]) d.add(v);
  assert.deepEqual(d.summary(), { sampleCount: 6, sum: 6, min: 0, max: 3, values: [1, 0, 3], counts: [3, 2, 1] });
});
