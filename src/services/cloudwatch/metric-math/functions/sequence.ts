/**
 * RATE, DIFF, DIFF_TIME and RUNNING_SUM: functions of each datapoint and the datapoints before it.
 *
 * - DIFF: "the difference between each value in the time series and the preceding value".
 * - DIFF_TIME: "the difference in seconds between the timestamp of each value … and the timestamp
 *   of the preceding value".
 * - RATE: "the difference between the latest data point value and the previous data point value,
 *   divided by the time difference in seconds between the two values" = DIFF / DIFF_TIME.
 * - RUNNING_SUM: the sum of the values up to and including each datapoint.
 *
 * "Preceding value" is the previous datapoint the series has, so a gap is skipped over: with
 * [10, 40, 40, -, 100] at 60 s, RATE gives 60/120 = 0.5 at the last point. Undocumented, and
 * following the reference vectors: the first datapoint has no predecessor and gives no datapoint,
 * and timestamps without a datapoint stay without one (also for RUNNING_SUM).
 */
import { withValues, type Point } from '../series-ops.ts';
import type { MathSeries, MathValue } from '../types.ts';
import { array, expectSeriesOrArray, series, type Arg } from '../values.ts';

type Step = (value: number, previous: number, seconds: number) => number;

const STEPS: Readonly<Record<'RATE' | 'DIFF' | 'DIFF_TIME', Step>> = {
  DIFF: (v, p) => v - p,
  DIFF_TIME: (_v, _p, seconds) => seconds,
  RATE: (v, p, seconds) => (seconds === 0 ? Number.NaN : (v - p) / seconds),
};

function stepwise(s: MathSeries, timestamps: readonly number[], step: Step): MathSeries {
  let prev: { value: number; t: number } | undefined;
  const values = s.values.map((v, i): Point => {
    if (v === null) return null;
    const t = timestamps[i]!;
    const out = prev === undefined ? null : step(v, prev.value, (t - prev.t) / 1000);
    prev = { value: v, t };
    return out !== null && Number.isFinite(out) ? out : null;
  });
  return withValues(s, values);
}

function runningSum(s: MathSeries): MathSeries {
  let total = 0;
  return withValues(s, s.values.map((v) => (v === null ? null : (total += v))));
}

const eachSeries = (v: { kind: 'series'; series: MathSeries } | { kind: 'array'; series: MathSeries[] }, f: (s: MathSeries) => MathSeries): MathValue =>
  v.kind === 'series' ? series(f(v.series)) : array(v.series.map(f));

export function sequence(name: 'RATE' | 'DIFF' | 'DIFF_TIME' | 'RUNNING_SUM', arg: Arg, timestamps: readonly number[]): MathValue {
  const v = expectSeriesOrArray(name, 1, arg);
  if (name === 'RUNNING_SUM') return eachSeries(v, runningSum);
  const step = STEPS[name];
  return eachSeries(v, (s) => stepwise(s, timestamps, step));
}
