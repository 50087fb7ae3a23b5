/**
 * PutMetricAlarm's period limits. From the API reference:
 *   Period: "Valid values are 10, 20, 30, and any multiple of 60."
 *   "An alarm's total current evaluation period can be no longer than seven days, so Period
 *    multiplied by EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period
 *    of less than one hour (3,600 seconds), the total evaluation period can't be longer than one
 *    day (86,400 seconds)."
 *   DatapointsToAlarm: "Valid Range: Minimum value of 1." and it is the M of "M out of N".
 * The one-day message is the one CloudWatch has long returned; the week and DatapointsToAlarm
 * texts follow its style (not captured from AWS).
 */

export function validatePeriodLimits(period: number, evaluationPeriods: number, datapointsToAlarm?: number): string | undefined {
  if (!Number.isInteger(period) || !(period === 10 || period === 20 || period === 30 || (period >= 60 && period % 60 === 0))) {
    return 'Period must be 10, 20, 30 or a multiple of 60';
  }
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    return `The value ${evaluationPeriods} for parameter EvaluationPeriods is invalid.`;
  }
  const total = period * evaluationPeriods;
  if (period < 3600 && total > 86_400) {
    return 'Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).';
  }
  if (total > 604_800) {
    return 'Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= 604800).';
  }
  if (datapointsToAlarm !== undefined) {
    if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1) {
      return `The value ${datapointsToAlarm} for parameter DatapointsToAlarm is invalid.`;
    }
    if (datapointsToAlarm > evaluationPeriods) return 'DatapointsToAlarm must be less than or equal to EvaluationPeriods';
  }
  return undefined;
}
