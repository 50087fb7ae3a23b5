/**
 * ABS, CEIL, FLOOR, LOG (natural) and LOG10: applied to each datapoint of a TS or of every series
 * of a TS[]. The doc lists TS and TS[]; a scalar is accepted as well and gives a scalar. A result
 * that is not finite (LOG of 0 or of a negative value) is no datapoint.
 */
import { mapPoints } from '../series-ops.ts';
import type { MathValue } from '../types.ts';
import { array, scalar, series, wrongType, type Arg } from '../values.ts';

export const POINTWISE: Readonly<Record<'ABS' | 'CEIL' | 'FLOOR' | 'LOG' | 'LOG10', (x: number) => number>> = {
  ABS: Math.abs,
  CEIL: Math.ceil,
  FLOOR: Math.floor,
  LOG: Math.log,
  LOG10: Math.log10,
};

export function pointwise(name: keyof typeof POINTWISE, arg: Arg): MathValue {
  const f = POINTWISE[name];
  switch (arg.kind) {
    case 'scalar':
      return scalar(f(arg.value));
    case 'series':
      return series(mapPoints(arg.series, f));
    case 'array':
      return array(arg.series.map((s) => mapPoints(s, f)));
    default:
      throw wrongType(name, 1, arg, 'a time series (TS) or an array of time series (TS[])');
  }
}
