/**
 * FILL(TS, S | REPEAT | LINEAR) and FILL(TS[], TS | S | REPEAT | LINEAR): fills the timestamps
 * where a series has no datapoint.
 *
 * - S: that value (FILL(m1, 10), FILL(m1, MIN(m1))).
 * - TS: the filler series' value at the same timestamp (FILL(METRICS(), m1)); where the filler has
 *   no datapoint either, the gap stays. The doc lists a TS filler only for TS[]; a single TS takes
 *   one too, since filling one series of an array and filling that series alone must agree.
 * - REPEAT: "the most recent actual value before the missing value".
 * - LINEAR: a straight line between the values at the beginning and the end of the gap,
 *   proportional to time.
 * Undocumented, and kept without a datapoint: gaps before the first datapoint for REPEAT, and
 * before the first or after the last datapoint for LINEAR (there is no value to repeat or line to
 * draw). A filler value that is not finite (e.g. 1/0) fills nothing.
 */
import { finiteOrNull, withValues, type Point } from '../series-ops.ts';
import type { MathSeries, MathValue } from '../types.ts';
import { array, expectSeriesOrArray, series, wrongType, type Arg } from '../values.ts';

type Filler = (s: MathSeries, timestamps: readonly number[]) => MathSeries;

const byValue = (value: number): Filler => (s) => withValues(s, s.values.map((v) => v ?? finiteOrNull(value)));

const bySeries = (filler: MathSeries): Filler => (s) => withValues(s, s.values.map((v, i) => v ?? filler.values[i] ?? null));

const repeat: Filler = (s) => {
  let last: Point = null;
  return withValues(s, s.values.map((v) => (v === null ? last : (last = v))));
};

const linear: Filler = (s, timestamps) => {
  const values = [...s.values];
  let before = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null) continue;
    if (before >= 0 && i - before > 1) {
      const [t0, t1, v0, v1] = [timestamps[before]!, timestamps[i]!, values[before]!, values[i]!];
      for (let j = before + 1; j < i; j++) values[j] = v0 + ((v1 - v0) * (timestamps[j]! - t0)) / (t1 - t0);
    }
    before = i;
  }
  return withValues(s, values);
};

function filler(arg: Arg): Filler {
  switch (arg.kind) {
    case 'scalar':
      return byValue(arg.value);
    case 'series':
      return bySeries(arg.series);
    case 'keyword':
      if (arg.name === 'REPEAT') return repeat;
      if (arg.name === 'LINEAR') return linear;
      break;
    default:
      break;
  }
  throw wrongType('FILL', 2, arg, 'a scalar (S), a time series (TS), REPEAT or LINEAR');
}

export function fill(target: Arg, fillWith: Arg, timestamps: readonly number[]): MathValue {
  const v = expectSeriesOrArray('FILL', 1, target);
  const f = filler(fillWith);
  return v.kind === 'series' ? series(f(v.series, timestamps)) : array(v.series.map((s) => f(s, timestamps)));
}
