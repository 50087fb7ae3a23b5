/**
 * "Percentile-based alarms and low data samples": with EvaluateLowSampleCountPercentile=ignore,
 * "the alarm state does not change during periods with too few data points to be statistically
 * significant" (PutMetricAlarm). The user guide gives the bar:
 *
 *   "For percentiles between 0.5 (inclusive) and 1.00 (exclusive), this setting is used when there
 *    are fewer than 10/(1-percentile) data points during the evaluation period. [...] For
 *    percentiles between 0 and 0.5 (exclusive), the setting is used when there are fewer than
 *    10/percentile data points."
 *
 * "During the evaluation period" is read as: the samples behind the datapoints that are evaluated
 * (the sum of their SampleCount). p100 and p0 have no bar (the formula is undefined there).
 */
import type { AlarmRule, Datapoint } from './types.ts';

/** The percentile of a `pNN[.NN]` ExtendedStatistic as a fraction, else undefined. */
export function percentileOf(extendedStatistic: string | undefined): number | undefined {
  const m = /^p(\d{1,2}(?:\.\d+)?|100)$/i.exec(extendedStatistic ?? '');
  if (!m) return undefined;
  return Number(m[1]) / 100;
}

/** The fewest samples that make a percentile statistically significant; undefined = no bar. */
export function minimumSamples(percentile: number): number | undefined {
  if (percentile >= 0.5 && percentile < 1) return 10 / (1 - percentile);
  if (percentile > 0 && percentile < 0.5) return 10 / percentile;
  return undefined;
}

/** True when the alarm must keep its state because the evaluated percentile rests on too few samples. */
export function tooFewSamples(rule: AlarmRule, evaluated: readonly Datapoint[]): boolean {
  if (rule.evaluateLowSampleCountPercentile !== 'ignore') return false;
  const p = percentileOf(rule.extendedStatistic);
  if (p === undefined) return false;
  const bar = minimumSamples(p);
  if (bar === undefined) return false;
  const real = evaluated.filter((d) => d.value !== null);
  // Without sample counts we cannot judge significance; evaluate rather than freeze forever.
  if (real.length === 0 || real.some((d) => d.sampleCount === undefined)) return false;
  const samples = real.reduce((n, d) => n + (d.sampleCount ?? 0), 0);
  return samples < bar;
}
