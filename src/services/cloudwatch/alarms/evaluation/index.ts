/** Metric-alarm evaluation: the documented CloudWatch rules as a pure module. */
export type { AlarmRule, AlarmState, ComparisonOperator, Datapoint, Evaluation, TreatMissingData } from './types.ts';
export { evaluateMetricAlarm, initialEvaluation } from './evaluate.ts';
export { evaluationRange, extraPeriods } from './range.ts';
export { validatePeriodLimits } from './limits.ts';
export { isBreaching, isBandOperator } from './compare.ts';
export { minimumSamples, percentileOf } from './low-sample.ts';
export { INITIAL_REASON } from './reason.ts';
export { javaDouble, stringifyReasonData } from './format.ts';
