import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from '../errors.ts';
import type { MathValue } from '../types.ts';
import { arrayOf, run, scalarOf, values } from '../test-support.ts';

const e1: MathValue = { kind: 'series', series: { label: 'e1', values: [100, 100] } };

describe('ids', () => {
  test('an id refers to a metric or to another expression', async () => {
    assert.deepEqual(await values('m1 + e1', { m1: [1, 2] }, { expressions: { e1 } }), [101, 102]);
  });

  test('an unknown id is an error naming it', async () => {
    await assert.rejects(run('m1 + m9', { m1: [1] }), (e: unknown) => e instanceof MetricMathError && /Unrecognized Id 'm9'/.test(e.message));
  });
});

describe('METRICS()', () => {
  test('returns the metrics of the request in request order, without math expressions', async () => {
    const list = await arrayOf('METRICS()', { b: [1, 2], a: [3, 4] }, { expressions: { e1 } });
    assert.deepEqual(list.map((s) => [s.id, s.label]), [['b', 'label b'], ['a', 'label a']]);
  });

  test('with a string keeps the ids that contain it, case-sensitively', async () => {
    const m = { errors4xx: [1], errors5xx: [2], requests: [3], Errors: [4] };
    assert.deepEqual((await arrayOf('METRICS("errors")', m)).map((s) => s.id), ['errors4xx', 'errors5xx']);
    assert.deepEqual(await values('SUM(METRICS("errors"))/SUM(METRICS("requests"))*100', { errors: [1, 2], requests: [10, 10] }), [10, 20]);
  });
});

describe('PERIOD()', () => {
  test("is the metric's own period, else the expression period (m1/PERIOD(m1))", async () => {
    assert.equal(await scalarOf('PERIOD(m1)', { m1: [1] }, { period: 300 }), 300);
    assert.equal(await scalarOf('PERIOD(m1)', { m1: [1], m2: [1] }, { period: 300, metricPeriods: { m1: 60 } }), 60);
    assert.deepEqual(await values('m1/PERIOD(m1)', { m1: [30, 60] }, { period: 300 }), [0.1, 0.2]);
  });

  test('accepts only the id of a metric', async () => {
    await assert.rejects(run('PERIOD(e1)', { m1: [1, 2] }, { expressions: { e1 } }), (e: unknown) => e instanceof MetricMathError && /'e1' is the Id of a math expression/.test(e.message));
    await assert.rejects(run('PERIOD(m1 * 2)', { m1: [1] }), (e: unknown) => e instanceof MetricMathError && /Id of a metric/.test(e.message));
  });
});
