import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from '../errors.ts';
import { arrayOf, MINUTE, run, T0, values } from '../test-support.ts';

test('FILL with a scalar, including one computed from the series (FILL(m1,10), FILL(m1, MIN(m1)))', async () => {
  assert.deepEqual(await values('FILL(m1, 10)', { m1: [null, 1, null, 3] }), [10, 1, 10, 3]);
  assert.deepEqual(await values('FILL(m1, MIN(m1))', { m1: [null, 4, null, 3] }), [3, 4, 3, 3]);
  assert.deepEqual(await values('FILL(m1, -1)', { m1: [null] }), [-1]);
});

test('FILL REPEAT uses the most recent actual value; nothing before the first', async () => {
  assert.deepEqual(await values('FILL(m1, REPEAT)', { m1: [null, 1, null, null, 3, null] }), [null, 1, 1, 1, 3, 3]);
});

test('FILL LINEAR interpolates interior gaps by time; nothing outside the first and last datapoints', async () => {
  assert.deepEqual(await values('FILL(m1, LINEAR)', { m1: [null, 0, null, null, 6, null] }), [null, 0, 2, 4, 6, null]);
  const timestamps = [T0, T0 + MINUTE, T0 + 4 * MINUTE];
  assert.deepEqual(await values('FILL(m1, LINEAR)', { m1: [0, null, 8] }, { timestamps }), [0, 2, 8]);
});

test('FILL of an array with a series, REPEAT or LINEAR (FILL(METRICS(), m1), FILL(METRICS(), LINEAR))', async () => {
  const m = { m1: [1, 2, 3], m2: [null, 5, null], m3: [0, null, 4] };
  assert.deepEqual((await arrayOf('FILL(METRICS(), m1)', m)).map((s) => s.values), [[1, 2, 3], [1, 5, 3], [0, 2, 4]]);
  assert.deepEqual((await arrayOf('FILL(METRICS(), LINEAR)', m)).map((s) => s.values), [[1, 2, 3], [null, 5, null], [0, 2, 4]]);
});

test('a gap in the filler series stays a gap', async () => {
  assert.deepEqual(await values('FILL(m1, m2)', { m1: [null, null, 1], m2: [7, null, 9] }), [7, null, 1]);
});

test('other fillers are rejected', async () => {
  await assert.rejects(run('FILL(m1, ASC)', { m1: [1] }), (e: unknown) => e instanceof MetricMathError && /Argument 2 of FILL must be a scalar \(S\), a time series \(TS\), REPEAT or LINEAR/.test(e.message));
  await assert.rejects(run('FILL(m1, METRICS())', { m1: [1] }), MetricMathError);
  await assert.rejects(run('FILL(5, 0)', { m1: [1] }), MetricMathError);
});
