import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from '../errors.ts';
import { arrayOf, run, values } from '../test-support.ts';

const m = { m1: [1, 2, 3], m2: [4, 5, 6], m3: [9, 0, 0], empty: [null, null, null] };
const ids = async (expression: string, metrics: Record<string, (number | null)[]> = m): Promise<(string | undefined)[]> =>
  (await arrayOf(expression, metrics)).map((s) => s.id);

describe('SORT', () => {
  test('by AVG, MIN, MAX or SUM, ascending or descending, with an optional limit', async () => {
    assert.deepEqual(await ids('SORT(METRICS(), AVG, DESC)'), ['m2', 'm3', 'm1', 'empty']);
    assert.deepEqual(await ids('SORT(METRICS(), AVG, ASC)'), ['m1', 'm3', 'm2', 'empty']);
    assert.deepEqual(await ids('SORT(METRICS(), MIN, ASC, 2)'), ['m3', 'm1']);
    assert.deepEqual(await ids('SORT(METRICS(), MAX, DESC, 1)'), ['m3']);
    assert.deepEqual(await ids('SORT(METRICS(), SUM, DESC, 10)'), ['m2', 'm3', 'm1', 'empty']);
  });

  test('ties keep their input order', async () => {
    assert.deepEqual(await ids('SORT(METRICS(), SUM, DESC)', { a: [1], b: [2], c: [1] }), ['b', 'a', 'c']);
    assert.deepEqual(await ids('SORT(METRICS(), SUM, ASC)', { a: [1], b: [2], c: [1] }), ['a', 'c', 'b']);
  });

  test('rejects other functions and orders', async () => {
    await assert.rejects(run('SORT(METRICS(), REPEAT, ASC)', m), (e: unknown) => e instanceof MetricMathError && /AVG, MIN, MAX or SUM/.test(e.message));
    await assert.rejects(run('SORT(METRICS(), AVG, SUM)', m), (e: unknown) => e instanceof MetricMathError && /ASC or DESC/.test(e.message));
    await assert.rejects(run('SORT(m1, AVG, ASC)', m), (e: unknown) => e instanceof MetricMathError && /array of time series/.test(e.message));
    await assert.rejects(run('SORT(METRICS(), AVG, ASC, -1)', m), (e: unknown) => e instanceof MetricMathError && /whole number/.test(e.message));
  });
});

describe('SLICE, FIRST, LAST', () => {
  test('SLICE is zero-indexed, start inclusive, end exclusive', async () => {
    assert.deepEqual(await ids('SLICE(SORT(METRICS(), SUM, DESC), 0, 2)'), ['m2', 'm3']);
    assert.deepEqual(await ids('SLICE(METRICS(), 1, 2)'), ['m2']);
  });

  test('SLICE with only a start returns the rest (SLICE(SORT(METRICS(), AVG, ASC), 1))', async () => {
    assert.deepEqual(await ids('SLICE(SORT(METRICS(), AVG, ASC), 1)'), ['m3', 'm2', 'empty']);
  });

  test('FIRST and LAST return one series', async () => {
    assert.deepEqual(await values('FIRST(SORT(METRICS(), AVG, DESC))', m), [4, 5, 6]);
    assert.deepEqual(await values('LAST(SORT(METRICS(), MAX, DESC, 3))', m), [1, 2, 3]);
    assert.deepEqual(await values('IF(FIRST(SORT(METRICS(), AVG, DESC))>4, 1, 0)', m), [0, 1, 1]);
    assert.deepEqual(await values('FIRST(METRICS("none"))', m), [null, null, null]);
  });
});

describe('REMOVE_EMPTY', () => {
  test('drops series without datapoints', async () => {
    assert.deepEqual(await ids('REMOVE_EMPTY(METRICS())'), ['m1', 'm2', 'm3']);
  });
});
