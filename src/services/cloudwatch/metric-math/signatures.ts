/**
 * Every function the "Metric math syntax and functions" doc lists, with the argument counts it
 * documents. The parser checks names and counts here; evaluation checks argument types.
 */

export interface Signature {
  min: number;
  max: number;
  /** How the doc writes the arguments, for error messages. */
  usage: string;
}

export const SIGNATURES: Readonly<Record<string, Signature>> = {
  ABS: { min: 1, max: 1, usage: 'ABS(TS | TS[])' },
  ANOMALY_DETECTION_BAND: { min: 1, max: 2, usage: 'ANOMALY_DETECTION_BAND(Id[, S])' },
  AVG: { min: 1, max: 1, usage: 'AVG(TS | TS[])' },
  CEIL: { min: 1, max: 1, usage: 'CEIL(TS | TS[])' },
  DATAPOINT_COUNT: { min: 1, max: 1, usage: 'DATAPOINT_COUNT(TS | TS[])' },
  DIFF: { min: 1, max: 1, usage: 'DIFF(TS | TS[])' },
  DIFF_TIME: { min: 1, max: 1, usage: 'DIFF_TIME(TS | TS[])' },
  FILL: { min: 2, max: 2, usage: 'FILL(TS, S | REPEAT | LINEAR) or FILL(TS[], TS | S | REPEAT | LINEAR)' },
  FIRST: { min: 1, max: 1, usage: 'FIRST(TS[])' },
  LAST: { min: 1, max: 1, usage: 'LAST(TS[])' },
  FLOOR: { min: 1, max: 1, usage: 'FLOOR(TS | TS[])' },
  INSIGHT_RULE_METRIC: { min: 2, max: 2, usage: 'INSIGHT_RULE_METRIC(ruleName, metricName)' },
  IF: { min: 2, max: 3, usage: 'IF(condition, trueValue[, falseValue])' },
  LOG: { min: 1, max: 1, usage: 'LOG(TS | TS[])' },
  LOG10: { min: 1, max: 1, usage: 'LOG10(TS | TS[])' },
  MAX: { min: 1, max: 1, usage: 'MAX(TS | TS[])' },
  METRIC_COUNT: { min: 1, max: 1, usage: 'METRIC_COUNT(TS[])' },
  METRICS: { min: 0, max: 1, usage: 'METRICS() or METRICS("string")' },
  MIN: { min: 1, max: 1, usage: 'MIN(TS | TS[])' },
  MINUTE: { min: 1, max: 1, usage: 'MINUTE(TS)' },
  HOUR: { min: 1, max: 1, usage: 'HOUR(TS)' },
  DAY: { min: 1, max: 1, usage: 'DAY(TS)' },
  DATE: { min: 1, max: 1, usage: 'DATE(TS)' },
  MONTH: { min: 1, max: 1, usage: 'MONTH(TS)' },
  YEAR: { min: 1, max: 1, usage: 'YEAR(TS)' },
  EPOCH: { min: 1, max: 1, usage: 'EPOCH(TS)' },
  PERIOD: { min: 1, max: 1, usage: 'PERIOD(metric id)' },
  RATE: { min: 1, max: 1, usage: 'RATE(TS | TS[])' },
  REMOVE_EMPTY: { min: 1, max: 1, usage: 'REMOVE_EMPTY(TS[])' },
  RUNNING_SUM: { min: 1, max: 1, usage: 'RUNNING_SUM(TS | TS[])' },
  SEARCH: { min: 2, max: 3, usage: "SEARCH('{Namespace, DimensionName, …} SearchTerm', 'Statistic'[, Period])" },
  SLICE: { min: 2, max: 3, usage: 'SLICE(TS[], S[, S])' },
  SORT: { min: 3, max: 4, usage: 'SORT(TS[], AVG | MIN | MAX | SUM, ASC | DESC[, S])' },
  STDDEV: { min: 1, max: 1, usage: 'STDDEV(TS | TS[])' },
  SUM: { min: 1, max: 1, usage: 'SUM(TS | TS[])' },
  TIME_SERIES: { min: 1, max: 1, usage: 'TIME_SERIES(S)' },
};

/**
 * Documented functions that need something Osprey does not have (Contributor Insights, Service Quotas, Lambda data sources, Performance Insights). They parse,
 * so the rest of a request still works, and evaluating one is an error that says so; never a
 * made-up result.
 */
export const UNSUPPORTED: Readonly<Record<string, string>> = {
  SERVICE_QUOTA: 'SERVICE_QUOTA is not supported: Osprey has no Service Quotas data.',
  LAMBDA: 'LAMBDA is not supported: Osprey does not call Lambda functions to query other data sources.',
  DB_PERF_INSIGHTS: 'DB_PERF_INSIGHTS is not supported: Osprey has no Performance Insights data.',
};

export const FUNCTION_NAMES: readonly string[] = [...Object.keys(SIGNATURES), ...Object.keys(UNSUPPORTED)].sort();
