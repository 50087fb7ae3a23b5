/**
 * Is one datapoint breaching? PutMetricAlarm: "The specified statistic value is used as the first
 * operand" — so GreaterThanThreshold means `value > threshold`.
 */
import type { AlarmRule, ComparisonOperator, Datapoint } from './types.ts';

export const BAND_OPERATORS: ReadonlySet<ComparisonOperator> = new Set([
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
]);

export const isBandOperator = (op: ComparisonOperator): boolean => BAND_OPERATORS.has(op);

/**
 * undefined when the point cannot be judged: no value, or a band operator without the band edges
 * it needs. The evaluator counts such a point as missing.
 */
export function isBreaching(rule: AlarmRule, dp: Datapoint): boolean | undefined {
  const v = dp.value;
  if (v === null || Number.isNaN(v)) return undefined;
  const t = rule.threshold;
  switch (rule.comparisonOperator) {
    case 'GreaterThanOrEqualToThreshold':
      return t === undefined ? undefined : v >= t;
    case 'GreaterThanThreshold':
      return t === undefined ? undefined : v > t;
    case 'LessThanThreshold':
      return t === undefined ? undefined : v < t;
    case 'LessThanOrEqualToThreshold':
      return t === undefined ? undefined : v <= t;
    case 'LessThanLowerOrGreaterThanUpperThreshold':
      return dp.lower === undefined || dp.upper === undefined ? undefined : v < dp.lower || v > dp.upper;
    case 'LessThanLowerThreshold':
      return dp.lower === undefined ? undefined : v < dp.lower;
    case 'GreaterThanUpperThreshold':
      return dp.upper === undefined ? undefined : v > dp.upper;
  }
}

/** The words CloudWatch puts between "was" and "the threshold" in a StateReason. */
export const COMPARISON_WORDS: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
  LessThanLowerOrGreaterThanUpperThreshold: 'less than the lower thresholds or greater than the upper thresholds',
  LessThanLowerThreshold: 'less than the lower thresholds',
  GreaterThanUpperThreshold: 'greater than the upper thresholds',
};
