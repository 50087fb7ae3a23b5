import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayOf, T0, MINUTE, values } from '../test-support.ts';

const m = { m1: [null, 10, 40, null, 100] };

test('DIFF, DIFF_TIME and RATE use the previous datapoint; the first one has no output', async () => {
  assert.deepEqual(await values('DIFF(m1)', m), [null, null, 30, null, 60]);
  assert.deepEqual(await values('DIFF_TIME(m1)', m), [null, null, 60, null, 120]);
  assert.deepEqual(await values('RATE(m1)', m), [null, null, 0.5, null, 0.5]);
});

test('DIFF_TIME and RATE follow the actual timestamps', async () => {
  const timestamps = [T0, T0 + 5 * MINUTE, T0 + 6 * MINUTE];
  assert.deepEqual(await values('DIFF_TIME(m1)', { m1: [0, 30, 90] }, { timestamps }), [null, 300, 60]);
  assert.deepEqual(await values('RATE(m1)', { m1: [0, 30, 90] }, { timestamps }), [null, 0.1, 1]);
});

test('RUNNING_SUM accumulates over the datapoints and keeps gaps', async () => {
  assert.deepEqual(await values('RUNNING_SUM(m1)', m), [null, 10, 50, null, 150]);
});

test('on an array each series is handled on its own (RUNNING_SUM([m1,m2]), DIFF_TIME(METRICS()))', async () => {
  const sums = await arrayOf('RUNNING_SUM([m1,m2])', { m1: [1, 2, 3], m2: [null, 5, 5] });
  assert.deepEqual(sums.map((s) => [s.id, s.values]), [['m1', [1, 3, 6]], ['m2', [null, 5, 10]]]);
  const times = await arrayOf('DIFF_TIME(METRICS())', { m1: [1, 2, 3], m2: [1, null, 1] });
  assert.deepEqual(times.map((s) => s.values), [[null, 60, 60], [null, null, 120]]);
});
