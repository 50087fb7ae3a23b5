/**
 * Arithmetic (+ - * / ^), comparison (== != < > <= >=) and logical (AND &&, OR ||) operators,
 * and unary minus.
 *
 * Shapes (doc: "S, S | TS, TS | TS, S | TS[], TS | TS[]", examples 5 * m1, SUM(100/[m1, m2]),
 * AVG([m1,m2]/m3), METRICS()*100):
 * - S op S → S; TS op S and S op TS → TS, defined where the series has a datapoint;
 * - TS op TS → TS on the union of datapoints, a missing value counting as 0 (for comparisons the
 *   doc says so explicitly: metric1 < metric2 with [30,20,0,0] and [20,-,20,-] gives 0,0,1,0);
 * - TS[] op (S | TS) and (S | TS) op TS[] → TS[], element by element, keeping each id and label;
 * - TS[] op TS[] is not documented and is rejected.
 * Comparisons and logical operators give 0 (false) or 1 (true); any non-zero value is true.
 */
import type { BinaryOp } from '../ast.ts';
import { MetricMathError } from '../errors.ts';
import { mapPoints, zipUnion } from '../series-ops.ts';
import type { MathSeries, MathValue } from '../types.ts';
import { array, scalar, series } from '../values.ts';

const truth = (b: boolean): number => (b ? 1 : 0);

export const OPERATIONS: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => (b === 0 ? Number.NaN : a / b),
  '^': (a, b) => a ** b,
  '==': (a, b) => truth(a === b),
  '!=': (a, b) => truth(a !== b),
  '<': (a, b) => truth(a < b),
  '>': (a, b) => truth(a > b),
  '<=': (a, b) => truth(a <= b),
  '>=': (a, b) => truth(a >= b),
  AND: (a, b) => truth(a !== 0 && b !== 0),
  OR: (a, b) => truth(a !== 0 || b !== 0),
};

export function binary(op: BinaryOp, left: MathValue, right: MathValue): MathValue {
  const f = OPERATIONS[op];
  if (left.kind === 'array' && right.kind === 'array') {
    throw new MetricMathError(`The operator ${op} cannot combine two arrays of time series; use it between an array and a time series or a scalar.`);
  }
  if (left.kind === 'array') return array(left.series.map((s) => seriesOf(binary(op, series(s), right))));
  if (right.kind === 'array') return array(right.series.map((s) => seriesOf(binary(op, left, series(s)))));
  if (left.kind === 'scalar' && right.kind === 'scalar') return scalar(f(left.value, right.value));
  if (left.kind === 'series' && right.kind === 'scalar') return series(mapPoints(left.series, (v) => f(v, right.value)));
  if (left.kind === 'scalar' && right.kind === 'series') {
    // The result keeps the series' id and label, like the other shapes.
    return series(mapPoints(right.series, (v) => f(left.value, v)));
  }
  return series(zipUnion((left as { series: MathSeries }).series, (right as { series: MathSeries }).series, f));
}

export function negate(v: MathValue): MathValue {
  switch (v.kind) {
    case 'scalar':
      return scalar(-v.value);
    case 'series':
      return series(mapPoints(v.series, (x) => -x));
    case 'array':
      return array(v.series.map((s) => mapPoints(s, (x) => -x)));
  }
}

function seriesOf(v: MathValue): MathSeries {
  if (v.kind !== 'series') throw new Error(`internal: expected a series, got ${v.kind}`);
  return v.series;
}

