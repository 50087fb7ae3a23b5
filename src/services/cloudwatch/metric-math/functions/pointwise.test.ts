import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayOf, scalarOf, values } from '../test-support.ts';

test('ABS, CEIL, FLOOR work on each datapoint and keep gaps (ABS(m1-m2))', async () => {
  assert.deepEqual(await values('ABS(m1-m2)', { m1: [1, 5, null], m2: [4, 2, null] }), [3, 3, null]);
  assert.deepEqual(await values('CEIL(m1)', { m1: [1.2, -1.2, null] }), [2, -1, null]);
  assert.deepEqual(await values('FLOOR(m1)', { m1: [1.8, -1.2, null] }), [1, -2, null]);
});

test('LOG and LOG10 drop the points with no finite logarithm', async () => {
  assert.deepEqual(await values('LOG(m1)', { m1: [1, 0, -1] }), [0, null, null]);
  assert.deepEqual(await values('LOG10(m1)', { m1: [100, 0, null] }), [2, null, null]);
});

test('on an array each series is mapped (MIN(ABS([m1, m2])), CEIL(METRICS()))', async () => {
  assert.deepEqual(await values('MIN(ABS([m1, m2]))', { m1: [-3, 1], m2: [2, -4] }), [2, 1]);
  const ceiled = await arrayOf('CEIL(METRICS())', { m1: [0.5], m2: [1.5] });
  assert.deepEqual(ceiled.map((s) => [s.id, s.values]), [['m1', [1]], ['m2', [2]]]);
});

test('a scalar argument gives a scalar', async () => {
  assert.equal(await scalarOf('ABS(-5)', { m1: [1] }), 5);
});
