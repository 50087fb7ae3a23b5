import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from '../errors.ts';
import { arrayOf, run, scalarOf, values } from '../test-support.ts';

// The doc's example series: metric1 = [30, 20, 0, 0], metric2 = [20, -, 20, -].
const doc = { metric1: [30, 20, 0, 0], metric2: [20, null, 20, null] };

describe('arithmetic', () => {
  test('two series combine on the union of datapoints, a missing value counting as 0', async () => {
    assert.deepEqual(await values('metric1 + metric2', doc), [50, 20, 20, 0]);
    assert.deepEqual(await values('metric2 - metric1', doc), [-10, -20, 20, 0]);
    assert.deepEqual(await values('m1 * m2', { m1: [null, 2, null], m2: [3, null, null] }), [0, 0, null]);
  });

  test('a timestamp where neither series has a datapoint has none', async () => {
    assert.deepEqual(await values('m1 + m2', { m1: [1, null], m2: [2, null] }), [3, null]);
  });

  test('division by zero drops the datapoint, including a missing divisor', async () => {
    assert.deepEqual(await values('metric1 / metric2', doc), [1.5, null, 0, null]);
    assert.deepEqual(await values('m1 / 0', { m1: [1, 2] }), [null, null]);
  });

  test('a series and a scalar keep the gaps of the series', async () => {
    assert.deepEqual(await values('5 * m1', { m1: [1, null, 3] }), [5, null, 15]);
    assert.deepEqual(await values('m1 - 1', { m1: [1, null, 3] }), [0, null, 2]);
    assert.deepEqual(await values('100 / m1', { m1: [4, null, 0] }), [25, null, null]);
  });

  test('^ is exponentiation; non-finite results are dropped', async () => {
    assert.deepEqual(await values('m1 ^ 2', { m1: [3, -2, null] }), [9, 4, null]);
    assert.deepEqual(await values('m1 ^ 0.5', { m1: [4, -4] }), [2, null]);
    assert.deepEqual(await values('m1 ^ -1', { m1: [0, 2] }), [null, 0.5]);
  });

  test('scalars combine into scalars (PERIOD(m1)/60)', async () => {
    assert.equal(await scalarOf('PERIOD(m1)/60', { m1: [1] }, { period: 300 }), 5);
    assert.equal(await scalarOf('2 + 3 * 4', { m1: [1] }), 14);
  });

  test('an array with a scalar or a series gives an array, keeping ids and labels (METRICS()*100, 100/[m1, m2], [m1,m2]/m3)', async () => {
    const times = await arrayOf('METRICS()*100', { m1: [1, 2], m2: [3, null] });
    assert.deepEqual(times.map((s) => [s.id, s.label, s.values]), [['m1', 'label m1', [100, 200]], ['m2', 'label m2', [300, null]]]);
    assert.deepEqual((await arrayOf('100/[m1, m2]', { m1: [1, 4], m2: [0, 5] })).map((s) => s.values), [[100, 25], [null, 20]]);
    assert.deepEqual((await arrayOf('[m1, m2]/m3', { m1: [2, 4], m2: [6, null], m3: [2, 2] })).map((s) => s.values), [[1, 2], [3, 0]]);
    assert.deepEqual(await values('SUM(100/[m1, m2])', { m1: [1, 4], m2: [2, 5] }), [150, 45]);
    assert.deepEqual(await values('AVG([m1,m2]/m3)', { m1: [2, 4], m2: [6, 8], m3: [2, 2] }), [2, 3]);
  });

  test('two arrays cannot be combined', async () => {
    await assert.rejects(run('METRICS() + METRICS()', { m1: [1] }), (e: unknown) => e instanceof MetricMathError && /two arrays/.test(e.message));
  });
});

describe('unary minus', () => {
  test('negates scalars, series and arrays (-5*m1, -m1, SUM(-[m1, m2]))', async () => {
    assert.deepEqual(await values('-5*m1', { m1: [1, null] }), [-5, null]);
    assert.deepEqual(await values('-m1', { m1: [1, null] }), [-1, null]);
    assert.deepEqual(await values('SUM(-[m1, m2])', { m1: [1, 2], m2: [3, 4] }), [-4, -6]);
  });

  test('never yields -0', async () => {
    assert.ok(Object.is((await values('-m1', { m1: [0] }))[0], 0));
    assert.ok(Object.is((await values('m1 * -5', { m1: [0] }))[0], 0));
  });
});

describe('comparison and logical operators', () => {
  test("the doc's table", async () => {
    assert.deepEqual(await values('(metric1 < metric2)', doc), [0, 0, 1, 0]);
    assert.deepEqual(await values('(metric1 >= 30)', doc), [1, 0, 0, 0]);
    assert.deepEqual(await values('(metric1 > 15 AND metric2 > 15)', doc), [1, 0, 0, 0]);
  });

  test('comparing a series with a scalar keeps its gaps', async () => {
    assert.deepEqual(await values('metric2 > 15', doc), [1, null, 1, null]);
  });

  test('== and != and <=', async () => {
    assert.deepEqual(await values('metric1 == 0', doc), [0, 0, 1, 1]);
    assert.deepEqual(await values('metric1 != metric2', doc), [1, 1, 1, 0]);
    assert.deepEqual(await values('metric1 <= 20', doc), [0, 1, 1, 1]);
  });

  test('AND/&& and OR/|| treat any non-zero value as true', async () => {
    const m = { a: [0, 2, -1, 0], b: [0, 0, 3, null] };
    assert.deepEqual(await values('a AND b', m), [0, 0, 1, 0]);
    assert.deepEqual(await values('a && b', m), [0, 0, 1, 0]);
    assert.deepEqual(await values('a OR b', m), [0, 1, 1, 0]);
    assert.deepEqual(await values('a || b', m), [0, 1, 1, 0]);
  });

  test('between scalars the result is a scalar 0 or 1', async () => {
    assert.equal(await scalarOf('3 > 2', { m1: [1] }), 1);
    assert.equal(await scalarOf('1 AND 0', { m1: [1] }), 0);
  });
});
