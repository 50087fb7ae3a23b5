/**
 * IF(condition, trueValue[, falseValue]) ("Using IF expressions").
 *
 * A condition value is FALSE when it is 0 and TRUE for any other value, positive or negative.
 *
 * Condition TS (a series, or a comparison such as m1 < 400), per timestamp:
 * - no datapoint in the condition → no datapoint;
 * - TRUE → trueValue: the scalar, or the series' datapoint, or 0 when that series has none there
 *   ("has the value of 0, if … metric1 is TRUE and the corresponding data point does not exist in
 *   metric2");
 * - FALSE → falseValue: the scalar or the series' datapoint; no datapoint when that series has none
 *   or when falseValue is omitted.
 * The doc's tables: IF(metric1, metric2, metric3) with metric1 [1,1,0,0,-], metric2 [30,-,0,0,30],
 * metric3 [0,0,20,-,20] gives [30,0,20,-,-].
 *
 * Condition S: the whole trueValue or falseValue; falseValue omitted and the condition FALSE gives
 * an empty time series.
 *
 * The documented syntaxes all produce a single time series; arrays of time series are rejected.
 */
import { MetricMathError } from '../errors.ts';
import { emptySeries, finiteOrNull, type Point } from '../series-ops.ts';
import type { MathSeries, MathValue } from '../types.ts';
import { series, wrongType, type Arg } from '../values.ts';

type Branch = { kind: 'scalar'; value: number } | { kind: 'series'; series: MathSeries };

function branch(arg: Arg | undefined, position: number): Branch | undefined {
  if (arg === undefined) return undefined;
  if (arg.kind === 'scalar' || arg.kind === 'series') return arg;
  throw wrongType('IF', position, arg, 'a scalar (S) or a time series (TS)');
}

export function ifThen(args: Arg[], length: number): MathValue {
  const [condition, t, f] = args as [Arg, Arg, Arg | undefined];
  const whenTrue = branch(t, 2)!;
  const whenFalse = branch(f, 3);
  if (condition.kind === 'scalar') {
    if (condition.value !== 0) return whenTrue;
    return whenFalse ?? series(emptySeries(length));
  }
  if (condition.kind !== 'series') {
    if (condition.kind === 'array') throw new MetricMathError('The condition of IF must be a time series or a scalar, not an array of time series.');
    throw wrongType('IF', 1, condition, 'a scalar (S) or a time series (TS)');
  }
  const values = condition.series.values.map((c, i): Point => {
    if (c === null) return null;
    if (c !== 0) return whenTrue.kind === 'scalar' ? finiteOrNull(whenTrue.value) : (whenTrue.series.values[i] ?? 0);
    if (whenFalse === undefined) return null;
    return whenFalse.kind === 'scalar' ? finiteOrNull(whenFalse.value) : (whenFalse.series.values[i] ?? null);
  });
  const labelled = whenTrue.kind === 'series' ? whenTrue.series : condition.series;
  return series({ ...(labelled.id !== undefined ? { id: labelled.id } : {}), label: labelled.label, values });
}
