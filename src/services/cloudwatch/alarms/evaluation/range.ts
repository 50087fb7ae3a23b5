/**
 * The evaluation range: how many periods the runner fetches before evaluating.
 *
 * AWS: "CloudWatch attempts to retrieve a higher number of data points than specified by
 * Evaluation Periods. The exact number of data points it attempts to retrieve depends on the length
 * of the alarm period and whether it is based on a metric with standard resolution or high
 * resolution." The only number the docs give is 5 for Evaluation Periods = 3.
 *
 * Our rule (undocumented beyond that example): N + max(2, ceil(N / 3)) periods — 5 for N = 3,
 * 3 for N = 1, 7 for N = 5, 14 for N = 10 — so sparse metrics get a look-back that grows with the
 * alarm, and the doc tables are reproduced exactly.
 */
import type { AlarmRule } from './types.ts';

export function extraPeriods(evaluationPeriods: number): number {
  return Math.max(2, Math.ceil(evaluationPeriods / 3));
}

/**
 * Periods are aligned to multiples of Period since the epoch, and only complete periods are
 * evaluated: `end` is the start of the period that contains `now` (exclusive bound), so a period
 * that is still filling up never counts as breaching or missing.
 */
export function evaluationRange(rule: AlarmRule, now: number): { start: number; end: number; periods: number } {
  const periodMs = rule.period * 1000;
  const periods = rule.evaluationPeriods + extraPeriods(rule.evaluationPeriods);
  const end = Math.floor(now / periodMs) * periodMs;
  return { start: end - periods * periodMs, end, periods };
}
