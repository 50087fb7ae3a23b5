/**
 * AVG, MAX, MIN, SUM, STDDEV, DATAPOINT_COUNT and METRIC_COUNT.
 *
 * - Of a single TS: a scalar over the datapoints the series has (AVG(m1) is the average "of all the
 *   data points in the metric"). A series without datapoints gives no value (NaN, which becomes
 *   "no datapoint" when it reaches a series).
 * - Of a TS[]: a TS, one value per timestamp over the array's series. The doc says "Missing values
 *   are treated as 0" for AVG (AVG([30,20],[20,-]) = [25,10]) and for arithmetic in general, so the
 *   same holds for MAX, MIN, SUM and STDDEV. A timestamp where no series has a datapoint stays
 *   without one (undocumented; the vectors avoid it).
 * - STDDEV is the sample standard deviation (n − 1), as the reference vectors expect (undocumented;
 *   population is their alternative). With a single value it is 0.
 * - DATAPOINT_COUNT of a TS counts its datapoints; of a TS[], how many series have a datapoint at
 *   each timestamp. METRIC_COUNT counts the series of a TS[].
 */
import { present } from '../series-ops.ts';
import type { MathValue } from '../types.ts';
import { expectArray, expectSeriesOrArray, scalar, series, type Arg } from '../values.ts';

type Reducer = (values: number[]) => number;

const sum: Reducer = (xs) => xs.reduce((a, b) => a + b, 0);
const mean: Reducer = (xs) => (xs.length === 0 ? Number.NaN : sum(xs) / xs.length);

export const REDUCERS: Readonly<Record<'AVG' | 'MAX' | 'MIN' | 'SUM' | 'STDDEV', Reducer>> = {
  AVG: mean,
  MAX: (xs) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => (b > a ? b : a))),
  MIN: (xs) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => (b < a ? b : a))),
  SUM: (xs) => (xs.length === 0 ? Number.NaN : sum(xs)),
  STDDEV: (xs) => {
    if (xs.length === 0) return Number.NaN;
    if (xs.length === 1) return 0;
    const m = mean(xs);
    return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
  },
};

export function aggregate(name: keyof typeof REDUCERS, arg: Arg, length: number): MathValue {
  const v = expectSeriesOrArray(name, 1, arg);
  const reduce = REDUCERS[name];
  if (v.kind === 'series') return scalar(reduce(present(v.series)));
  const values = Array.from({ length }, (_, i) => {
    const column = v.series.map((s) => s.values[i] ?? null);
    if (column.every((x) => x === null)) return null;
    const r = reduce(column.map((x) => x ?? 0));
    return Number.isFinite(r) ? r : null;
  });
  return series({ label: '', values });
}

export function datapointCount(arg: Arg, length: number): MathValue {
  const v = expectSeriesOrArray('DATAPOINT_COUNT', 1, arg);
  if (v.kind === 'series') return scalar(present(v.series).length);
  const values = Array.from({ length }, (_, i) => {
    const n = v.series.filter((s) => (s.values[i] ?? null) !== null).length;
    return n === 0 ? null : n;
  });
  return series({ label: '', values });
}

export const metricCount = (arg: Arg): MathValue => scalar(expectArray('METRIC_COUNT', 1, arg).length);
