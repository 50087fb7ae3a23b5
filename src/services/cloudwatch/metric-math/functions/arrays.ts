/**
 * SORT, SLICE, FIRST, LAST and REMOVE_EMPTY: functions that pick series out of a TS[].
 *
 * - SORT(TS[], AVG | MIN | MAX | SUM, ASC | DESC[, limit]): orders the series by that statistic
 *   of their datapoints, lowest first for ASC, highest first for DESC; the optional limit keeps the
 *   first `limit` series. Ties keep their input order; series without datapoints (no statistic)
 *   go last in either order (undocumented).
 * - SLICE(TS[], start[, end]): zero-indexed, start inclusive, end exclusive; without end, every
 *   series from start on. The result stays a TS[] even when it holds one series.
 * - FIRST / LAST(TS[]): the first or last series, as a TS; of an empty array, an empty series.
 * - REMOVE_EMPTY(TS[]): drops the series that have no datapoints.
 */
import { MetricMathError } from '../errors.ts';
import { emptySeries, hasData, present } from '../series-ops.ts';
import type { MathValue } from '../types.ts';
import { array, expectArray, expectScalar, series, wrongType, type Arg } from '../values.ts';
import { REDUCERS } from './aggregate.ts';

const SORT_FUNCTIONS = ['AVG', 'MIN', 'MAX', 'SUM'] as const;

export function sort(args: Arg[]): MathValue {
  const [list, by, order, limit] = args as [Arg, Arg, Arg, Arg | undefined];
  const input = expectArray('SORT', 1, list);
  if (by.kind !== 'keyword' || !(SORT_FUNCTIONS as readonly string[]).includes(by.name)) {
    throw wrongType('SORT', 2, by, 'one of the functions AVG, MIN, MAX or SUM');
  }
  if (order.kind !== 'keyword' || (order.name !== 'ASC' && order.name !== 'DESC')) throw wrongType('SORT', 3, order, 'ASC or DESC');
  const reduce = REDUCERS[by.name as (typeof SORT_FUNCTIONS)[number]];
  const direction = order.name === 'ASC' ? 1 : -1;
  const keyed = input.map((s) => ({ s, key: reduce(present(s)) }));
  keyed.sort((a, b) => {
    const aMissing = Number.isNaN(a.key);
    const bMissing = Number.isNaN(b.key);
    if (aMissing || bMissing) return Number(aMissing) - Number(bMissing);
    return direction * (a.key - b.key);
  });
  const sorted = keyed.map((k) => k.s);
  return array(limit === undefined ? sorted : sorted.slice(0, index('SORT', 4, limit)));
}

export function slice(args: Arg[]): MathValue {
  const [list, start, end] = args as [Arg, Arg, Arg | undefined];
  const input = expectArray('SLICE', 1, list);
  return array(input.slice(index('SLICE', 2, start), end === undefined ? undefined : index('SLICE', 3, end)));
}

export function firstOrLast(name: 'FIRST' | 'LAST', arg: Arg, length: number): MathValue {
  const input = expectArray(name, 1, arg);
  const picked = name === 'FIRST' ? input[0] : input[input.length - 1];
  return series(picked ?? emptySeries(length));
}

export const removeEmpty = (arg: Arg): MathValue => array(expectArray('REMOVE_EMPTY', 1, arg).filter(hasData));

/** A count or position argument: a whole number ≥ 0. */
function index(fn: string, position: number, a: Arg): number {
  const n = expectScalar(fn, position, a);
  if (!Number.isInteger(n) || n < 0) throw new MetricMathError(`Argument ${position} of ${fn} must be a whole number of 0 or more, but it is ${n}.`);
  return n;
}
