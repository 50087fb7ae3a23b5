import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from '../errors.ts';
import { run, values } from '../test-support.ts';

// Sunday 2023-12-31 23:59, Monday 2024-01-01 00:00, Thursday 2024-02-29 12:30 (UTC).
const timestamps = ['2023-12-31T23:59:00Z', '2024-01-01T00:00:00Z', '2024-02-29T12:30:00Z'].map((t) => Date.parse(t));
const m = { m1: [null, 1, null] };

test('date functions give a value for every timestamp, data or not, in UTC', async () => {
  assert.deepEqual(await values('MINUTE(m1)', m, { timestamps }), [59, 0, 30]);
  assert.deepEqual(await values('HOUR(m1)', m, { timestamps }), [23, 0, 12]);
  assert.deepEqual(await values('DAY(m1)', m, { timestamps }), [7, 1, 4]);
  assert.deepEqual(await values('DATE(m1)', m, { timestamps }), [31, 1, 29]);
  assert.deepEqual(await values('MONTH(m1)', m, { timestamps }), [12, 1, 2]);
  assert.deepEqual(await values('YEAR(m1)', m, { timestamps }), [2023, 2024, 2024]);
  assert.deepEqual(await values('EPOCH(m1)', m, { timestamps }), [1704067140, 1704067200, 1709209800]);
});

test('business hours filter (blog example IF((DAY(m1)<6 AND (HOUR(m1)>=9 AND HOUR(m1)<17)),m1))', async () => {
  const ts = ['2024-01-05T10:00:00Z', '2024-01-05T18:00:00Z', '2024-01-06T10:00:00Z'].map((t) => Date.parse(t));
  assert.deepEqual(await values('IF((DAY(m1)<6 AND (HOUR(m1)>=9 AND HOUR(m1)<17)),m1)', { m1: [5, 6, 7] }, { timestamps: ts }), [5, null, null]);
});

test('date functions take a single time series', async () => {
  await assert.rejects(run('HOUR(METRICS())', m, { timestamps }), (e: unknown) => e instanceof MetricMathError && /HOUR must be a time series/.test(e.message));
});

test('TIME_SERIES fills every timestamp with a scalar (TIME_SERIES(5*AVG(m1)))', async () => {
  assert.deepEqual(await values('TIME_SERIES(5*AVG(m1))', { m1: [1, null, 3] }), [10, 10, 10]);
  assert.deepEqual(await values('TIME_SERIES(1/0)', { m1: [1, null] }), [null, null]);
  await assert.rejects(run('TIME_SERIES(m1)', { m1: [1] }), (e: unknown) => e instanceof MetricMathError && /TIME_SERIES must be a scalar/.test(e.message));
});
