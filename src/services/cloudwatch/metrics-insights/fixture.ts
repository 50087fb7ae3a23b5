/**
 * The raw metric table as tests and benchmarks of this folder create it (the schema of the task;
 * the store's own copy lives in the telemetry migrations), and one point as a JSONCompactEachRow row.
 */

export const METRIC_RAW_DDL = `CREATE TABLE metric_raw (
  account LowCardinality(String), region LowCardinality(String),
  namespace LowCardinality(String), metric_name LowCardinality(String),
  dimensions Map(LowCardinality(String), String),
  ts Int64,
  storage_resolution UInt8, unit LowCardinality(String),
  sample_count Float64, sum Float64, min Float64, max Float64,
  values Array(Float64), counts Array(Float64)
) ENGINE = MergeTree ORDER BY (account, region, namespace, metric_name, dimensions, ts)`;

export const METRIC_RAW_COLUMNS = ['account', 'region', 'namespace', 'metric_name', 'dimensions', 'ts', 'storage_resolution',
  'unit', 'sample_count', 'sum', 'min', 'max', 'values', 'counts'] as const;

export interface RawPoint {
  account: string;
  region: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  ts: number;
}

/** A single value (sample count 1), or a StatisticSet without its distribution. */
export type RawObservation = { value: number } | { sampleCount: number; sum: number; min: number; max: number };

/** The row in METRIC_RAW_COLUMNS order, ready for JSON.stringify. */
export function metricRawRow(p: RawPoint & RawObservation): unknown[] {
  const [count, sum, min, max, values, counts] = 'value' in p
    ? [1, p.value, p.value, p.value, [p.value], [1]]
    : [p.sampleCount, p.sum, p.min, p.max, [], []];
  return [p.account, p.region, p.namespace, p.metricName, p.dimensions, p.ts, 60, 'None', count, sum, min, max, values, counts];
}
