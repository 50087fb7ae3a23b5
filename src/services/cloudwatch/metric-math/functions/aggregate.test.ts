import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from '../errors.ts';
import { run, scalarOf, values } from '../test-support.ts';

describe('AVG, MAX, MIN, SUM, STDDEV of one series give a scalar over its datapoints', () => {
  const m = { m1: [2, null, 4, 4, 4, 5, 5, 7, 9] };
  test('gaps are ignored', async () => {
    assert.equal(await scalarOf('AVG(m1)', m), 5);
    assert.equal(await scalarOf('MAX(m1)', m), 9);
    assert.equal(await scalarOf('MIN(m1)', m), 2);
    assert.equal(await scalarOf('SUM(m1)', m), 40);
  });

  test('STDDEV is the sample standard deviation', async () => {
    assert.ok(Math.abs((await scalarOf('STDDEV(m1)', m)) - 2.138089935299395) < 1e-12);
    assert.equal(await scalarOf('STDDEV(m1)', { m1: [3, null] }), 0);
  });

  test('used inside a series expression (m1-AVG(m1), MAX(m1)/m1, SUM(METRICS())/SUM(m1))', async () => {
    assert.deepEqual(await values('m1-AVG(m1)', { m1: [1, null, 3] }), [-1, null, 1]);
    assert.deepEqual(await values('SUM(METRICS())/SUM(m1)', { m1: [1, 3], m2: [1, 3] }), [0.5, 1.5]);
  });

  test('a series without datapoints has no statistic, so nothing comes out of it', async () => {
    assert.deepEqual(await values('TIME_SERIES(AVG(m1))', { m1: [null, null] }), [null, null]);
    assert.deepEqual(await values('m2 - MAX(m1)', { m1: [null, null], m2: [1, 2] }), [null, null]);
  });
});

describe('AVG, MAX, MIN, SUM, STDDEV of an array give a series, missing values counting as 0', () => {
  const m = { m1: [30, 20, -5, null], m2: [20, null, -1, null] };
  test('per timestamp', async () => {
    assert.deepEqual(await values('AVG([m1, m2])', m), [25, 10, -3, null]);
    assert.deepEqual(await values('SUM([m1, m2])', m), [50, 20, -6, null]);
    assert.deepEqual(await values('MAX([m1, m2])', m), [30, 20, -1, null]);
    assert.deepEqual(await values('MIN([m1, m2])', m), [20, 0, -5, null]);
    assert.deepEqual(await values('STDDEV([m1, m2])', m), [Math.SQRT2 * 5, Math.SQRT2 * 10, Math.SQRT2 * 2, null]);
  });

  test('METRICS() and array literals flatten (SUM([METRICS("4xx"), METRICS("5xx")]))', async () => {
    const errs = { e4xx: [1, 2], e5xx: [3, 4], other: [100, 100] };
    assert.deepEqual(await values('SUM([METRICS("4xx"), METRICS("5xx")])', errs), [4, 6]);
    assert.deepEqual(await values('SUM(METRICS())', errs), [104, 106]);
  });

  test('an empty array gives a series without datapoints', async () => {
    assert.deepEqual(await values('SUM(METRICS("none"))', { m1: [1, 2] }), [null, null]);
  });
});

describe('DATAPOINT_COUNT and METRIC_COUNT', () => {
  test('DATAPOINT_COUNT of a series counts its datapoints (SUM(m1) / DATAPOINT_COUNT(m1))', async () => {
    assert.equal(await scalarOf('DATAPOINT_COUNT(m1)', { m1: [1, null, 3, null] }), 2);
    assert.deepEqual(await values('m1 * 0 + SUM(m1) / DATAPOINT_COUNT(m1)', { m1: [1, null, 3, null] }), [2, null, 2, null]);
  });

  test('DATAPOINT_COUNT of an array counts the series with a datapoint at each timestamp', async () => {
    assert.deepEqual(await values('DATAPOINT_COUNT(METRICS())', { m1: [1, null, 3], m2: [1, null, null] }), [2, null, 1]);
  });

  test('METRIC_COUNT counts the series of an array and rejects a single series', async () => {
    assert.equal(await scalarOf('METRIC_COUNT(METRICS())', { m1: [1], m2: [2], m3: [3] }), 3);
    await assert.rejects(run('m1/METRIC_COUNT(m1)', { m1: [1] }), (e: unknown) => e instanceof MetricMathError && /METRIC_COUNT must be an array of time series/.test(e.message));
  });
});

describe('argument types', () => {
  test('a scalar is not a valid argument of AVG', async () => {
    await assert.rejects(run('TIME_SERIES(AVG(5))', { m1: [1] }), (e: unknown) => e instanceof MetricMathError && /Argument 1 of AVG must be a time series \(TS\) or an array of time series \(TS\[\]\), but it is a scalar/.test(e.message));
  });
});
