/**
 * ANOMALY_DETECTION_BAND(m1[, stddevs]): "returns an anomaly detection band for the specified
 * metric. The band consists of two time series, one representing the upper limit of the normal
 * expected value of the metric, and the other representing the lower limit" — an array of two
 * series under the expression's Id, the upper bound first, so FIRST() is the upper and LAST() the
 * lower bound. stddevs defaults to 2 and widens or narrows the band.
 *
 * The argument must be the Id of a metric or of another expression (the detector is looked up by
 * what that query is, not by its values); the model comes from the context's band resolver.
 */
import type { Expr } from '../ast.ts';
import { MetricMathError } from '../errors.ts';
import type { MathContext, MathValue } from '../types.ts';
import { array } from '../values.ts';
import { lookupId } from './metrics.ts';

export const DEFAULT_STDDEVS = 2;

export async function anomalyBand(args: readonly Expr[], stddevs: MathValue | undefined, ctx: MathContext): Promise<MathValue> {
  const target = args[0]!;
  if (target.kind !== 'id') {
    throw new MetricMathError('ANOMALY_DETECTION_BAND takes the Id of a metric or of an expression, as in ANOMALY_DETECTION_BAND(m1, 2).');
  }
  lookupId(target.name, ctx);
  let k = DEFAULT_STDDEVS;
  if (stddevs !== undefined) {
    if (stddevs.kind !== 'scalar' || !Number.isFinite(stddevs.value) || stddevs.value <= 0) {
      throw new MetricMathError('The second argument of ANOMALY_DETECTION_BAND, the band width in standard deviations, must be a positive number.');
    }
    k = stddevs.value;
  }
  if (ctx.band === undefined) throw new MetricMathError('ANOMALY_DETECTION_BAND is not available for this request.');
  const [upper, lower] = await ctx.band(target.name, k);
  return array([upper, lower]);
}
