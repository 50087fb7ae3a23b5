import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from '../errors.ts';
import { run, values } from '../test-support.ts';

// The series of the doc's IF tables.
const doc = { metric1: [1, 1, 0, 0, null], metric2: [30, null, 0, 0, 30], metric3: [0, 0, 20, null, 20] };

describe("IF: the doc's tables", () => {
  test('IF(metric1, metric2, metric3)', async () => {
    assert.deepEqual(await values('IF(metric1, metric2, metric3)', doc), [30, 0, 20, null, null]);
  });
  test('IF(metric1, scalar2, metric3)', async () => {
    assert.deepEqual(await values('IF(metric1, 5, metric3)', doc), [5, 5, 20, null, null]);
  });
  test('IF(metric1, metric2, scalar3)', async () => {
    assert.deepEqual(await values('IF(metric1, metric2, 5)', doc), [30, 0, 5, 5, null]);
  });
  test('IF(metric1, metric2) drops the FALSE points', async () => {
    assert.deepEqual(await values('IF(metric1, metric2)', doc), [30, 0, null, null, null]);
  });
});

describe('IF: use cases', () => {
  test('low values only: IF(metric1<400, metric1)', async () => {
    assert.deepEqual(await values('IF(metric1<400, metric1)', { metric1: [100, 500, null, 300] }), [100, null, null, 300]);
  });
  test('two levels: IF(metric1<400, 10, 2)', async () => {
    assert.deepEqual(await values('IF(metric1<400, 10, 2)', { metric1: [100, 500, null, 300] }), [10, 2, null, 10]);
  });
  test('any non-zero value is TRUE, negative included', async () => {
    assert.deepEqual(await values('IF(m1, 1, 0)', { m1: [-2, 0, 0.5] }), [1, 0, 1]);
  });
});

describe('IF with a scalar condition', () => {
  const m = { metric2: [1, null, 3], metric3: [7, 8, null] };
  test('picks the whole true or false series', async () => {
    assert.deepEqual(await values('IF(1, metric2, metric3)', m), [1, null, 3]);
    assert.deepEqual(await values('IF(0, metric2, metric3)', m), [7, 8, null]);
    assert.deepEqual(await values('IF(PERIOD(metric2) > 30, metric2, metric3)', m), [1, null, 3]);
  });
  test('FALSE with no false value is an empty time series', async () => {
    assert.deepEqual(await values('IF(0, metric2)', m), [null, null, null]);
  });
});

test('IF rejects arrays of time series', async () => {
  await assert.rejects(run('IF(METRICS() > 1, 1, 0)', { m1: [1] }), (e: unknown) => e instanceof MetricMathError && /condition of IF/.test(e.message));
  await assert.rejects(run('IF(m1, METRICS())', { m1: [1] }), (e: unknown) => e instanceof MetricMathError && /Argument 2 of IF/.test(e.message));
});
