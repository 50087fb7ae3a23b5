/**
 * The vocabulary of metric-alarm evaluation, spelled as PutMetricAlarm spells it. Pure data: no
 * wire shapes, no storage. The runner (jobs/) fetches datapoints for `evaluationRange` and hands
 * them to `evaluateMetricAlarm`.
 */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold'
  // The three band operators are for anomaly-detection alarms (ThresholdMetricId).
  | 'LessThanLowerOrGreaterThanUpperThreshold'
  | 'LessThanLowerThreshold'
  | 'GreaterThanUpperThreshold';

export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

export interface AlarmRule {
  /** Absent for anomaly-detection alarms, whose thresholds come per datapoint (`lower`/`upper`). */
  threshold?: number;
  comparisonOperator: ComparisonOperator;
  /** N of an "M out of N" alarm. */
  evaluationPeriods: number;
  /** M; defaults to EvaluationPeriods, as PutMetricAlarm documents. */
  datapointsToAlarm?: number;
  /** Defaults to `missing` ("If this parameter is omitted, the default behavior of missing is used"). */
  treatMissingData?: TreatMissingData;
  evaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
  /** Seconds. */
  period: number;
  statistic?: string;
  extendedStatistic?: string;
  /** Only echoed into StateReasonData, as AWS does. */
  unit?: string;
}

export interface Datapoint {
  /** Milliseconds since the epoch; the start of the period. */
  timestamp: number;
  /** null = no datapoint for this period. */
  value: number | null;
  sampleCount?: number;
  /** Band edges for the band operators (the ANOMALY_DETECTION_BAND values of this period). */
  lower?: number;
  upper?: number;
}

export interface Evaluation {
  state: AlarmState;
  /** StateReason, worded as CloudWatch words it. */
  reason: string;
  /** StateReasonData before serialisation; see `stringifyReasonData` for AWS's number spelling. */
  reasonData: Record<string, unknown>;
  /**
   * True when the documented answer is "retain current state" (TreatMissingData=ignore, or a
   * low-sample percentile with EvaluateLowSampleCountPercentile=ignore). `state` is then the current
   * state and the runner should leave the alarm, including its old StateReason, untouched.
   */
  retained?: boolean;
}
