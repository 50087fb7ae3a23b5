/**
 * MiQuery → one ClickHouse SELECT over the raw metric table, every user literal (namespace, metric
 * name, label keys and values, limit) and every option bound as a `{pN:Type}` parameter.
 *
 * Semantics, from "Metrics Insights query components and syntax" and "SQL inference":
 * - Buckets: "all the observations belonging to that minute until the next (excluded) are rolled up
 *   to the start time of the time bucket": `startTime + k·period`, over ts in [startTime, endTime).
 *   "Metrics Insights does not support high-resolution data … the output is aggregated at one-minute
 *   granularity", so a period under 60 s counts as 60 s.
 * - FUNCTION over all observations of a group in a bucket, across its series: SUM = Σsum,
 *   COUNT = Σsample_count, MIN = min(min), MAX = max(max), AVG = Σsum / Σsample_count ("AVG
 *   calculates the average of the observations matched by the query", not an average of per-series
 *   averages). A stored point is already a summary of its observations, so these are exact.
 * - FROM "ns": every series, "no matter their dimensions". SCHEMA("ns", k…): only series whose
 *   dimension names are exactly {k…}, none for SCHEMA("ns") ("The order of these label keys does not
 *   matter", so the keys are a set).
 * - WHERE: "A label key is similar to a column name in SQL" (glossary); labels are dimensions. A
 *   series without the key has no value there, so, as NULL in SQL, it matches neither `=` nor `!=`.
 *   MetricName is not a label: `WHERE MetricName = …` names a dimension called MetricName.
 * - GROUP BY: one series per distinct tuple of values; a missing key is the null group ("Other").
 * - Order of the series: with ORDER BY F(), F over "all the matched data points of each individual
 *   time series across the queried time window" (ORDER BY global aggregation), i.e. F over all the
 *   group's observations in [startTime, endTime) with the definitions above, whatever the SELECT
 *   function; ties are broken by the group values. Without ORDER BY, "the results are ordered in
 *   alphabetical ascending order, using the sequence of labels specified in the GROUP BY clause";
 *   the null group sorts after every value.
 * - LIMIT, default and maximum 500 ("a query that does not specify a LIMIT can also return no more
 *   than 500 time series"), keeps the first N series of that order: "the time series are sorted and
 *   then the 500 time series that come first in the sort order are the ones that are returned".
 *
 * Not applied here (caller's or not at all): the "10,000 metrics" processing cap (AWS keeps an
 * unspecified subset; Osprey processes all), and the retention window a query may reach (two weeks;
 * GetMetricData's business).
 *
 * One scan: the inner query aggregates per (group, bucket); the middle one folds each group's
 * buckets into arrays, computes the ORDER BY value from the bucket partials (Σ of Σ, min of min, …),
 * numbers the groups with a window and keeps the top N; the outer one unfolds the arrays back into
 * rows.
 */
import type { MiFunction, MiQuery } from './ast.ts';
import { MAX_LIMIT } from './parse.ts';

export interface CompileOptions {
  account: string;
  region: string;
  /** ms since the epoch, inclusive. */
  startTime: number;
  /** ms since the epoch, exclusive. */
  endTime: number;
  /** Seconds. */
  period: number;
  /** The raw point table. Default `metric_raw`, the telemetry store's raw tier. */
  table?: string;
}

export interface MiPlan {
  sql: string;
  params: Record<string, unknown>;
}

/** One row of a plan's result: one bucket of one returned series. */
export interface MiRow {
  /** Group values in GROUP BY order, null for the null group ("Other"); empty without GROUP BY. */
  labels: (string | null)[];
  /** Bucket start, ms since the epoch, as a decimal string (Int64). */
  ts: string;
  value: number;
  /** 0-based position of the series in the result order. */
  rank: number;
}

/** "If you request high-resolution data, the request does not fail, but the output is aggregated at one-minute granularity." */
export const MIN_PERIOD_SECONDS = 60;

const DEFAULT_TABLE = 'metric_raw';

/** Per-bucket value from the bucket's partials s (Σsum), c (Σsample_count), lo (min), hi (max). */
const BUCKET_VALUE: Record<MiFunction, string> = {
  SUM: 's', COUNT: 'c', MIN: 'lo', MAX: 'hi', AVG: 's / c',
};

/** Whole-range value from the buckets' partials, for ORDER BY. */
const RANGE_VALUE: Record<MiFunction, string> = {
  SUM: 'sum(s)', COUNT: 'sum(c)', MIN: 'min(lo)', MAX: 'max(hi)', AVG: 'sum(s) / sum(c)',
};

/** Binds each distinct (type, value) once, as p0, p1, … */
class Params {
  readonly values: Record<string, unknown> = {};
  private readonly names = new Map<string, string>();

  bind(value: string | number, type: 'String' | 'Int64' | 'UInt32' | 'UInt64'): string {
    const key = `${type}:${typeof value}:${String(value)}`;
    let name = this.names.get(key);
    if (name === undefined) {
      name = `p${this.names.size}`;
      this.names.set(key, name);
      this.values[name] = value;
    }
    return `{${name}:${type}}`;
  }
}

export function compileMetricsInsights(q: MiQuery, opts: CompileOptions): MiPlan {
  const table = opts.table ?? DEFAULT_TABLE;
  // Not user input, but spliced: keep it to a plain (optionally database-qualified) identifier.
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) throw new RangeError(`invalid table name ${table}`);
  for (const [k, v] of [['startTime', opts.startTime], ['endTime', opts.endTime]] as const) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`${k} must be an integer number of ms, got ${v}`);
  }
  if (!Number.isSafeInteger(opts.period) || opts.period <= 0) throw new RangeError(`period must be a positive number of seconds, got ${opts.period}`);

  const p = new Params();
  const start = p.bind(opts.startTime, 'Int64');
  const periodMs = p.bind(Math.max(opts.period, MIN_PERIOD_SECONDS) * 1000, 'Int64');
  const namespace = q.from.namespace.value;

  const where = [
    `account = ${p.bind(opts.account, 'String')}`,
    `region = ${p.bind(opts.region, 'String')}`,
    `namespace = ${p.bind(namespace, 'String')}`,
    `metric_name = ${p.bind(q.metricName.value, 'String')}`,
    `ts >= ${start}`,
    `ts < ${p.bind(opts.endTime, 'Int64')}`,
  ];
  if (q.from.kind === 'schema') {
    const keys = [...new Set(q.from.keys.map((k) => k.value))];
    where.push(`length(dimensions) = ${p.bind(keys.length, 'UInt64')}`);
    for (const k of keys) where.push(`mapContains(dimensions, ${p.bind(k, 'String')})`);
  }
  for (const c of q.where) {
    const key = p.bind(c.key.value, 'String');
    where.push(`mapContains(dimensions, ${key}) AND dimensions[${key}] ${c.op} ${p.bind(c.value, 'String')}`);
  }

  const groups = q.groupBy.map((_, i) => `g${i}`);
  const groupExprs = q.groupBy.map((k, i) => {
    const key = p.bind(k.value, 'String');
    return `if(mapContains(dimensions, ${key}), dimensions[${key}], NULL) AS g${i}`;
  });
  const byGroupValues = groups.map((g) => `${g} ASC NULLS LAST`);
  const rankOrder = q.orderBy
    ? [`ov ${q.orderBy.direction}`, ...byGroupValues]
    : byGroupValues;

  const inner = [
    `SELECT ${[...groupExprs, `${start} + intDiv(ts - ${start}, ${periodMs}) * ${periodMs} AS bucket`].join(', ')},`,
    `  sum(sum) AS s, sum(sample_count) AS c, min(min) AS lo, max(max) AS hi, ${BUCKET_VALUE[q.fn]} AS val`,
    `FROM ${table}`,
    `WHERE ${where.join('\n  AND ')}`,
    `GROUP BY ${[...groups, 'bucket'].join(', ')}`,
    // An average needs samples; a StatisticSet may not carry any (sample_count 0).
    ...(q.fn === 'AVG' ? ['HAVING c > 0'] : []),
  ].join('\n');

  const labels = groups.length ? `[${groups.join(', ')}]` : 'CAST([] AS Array(Nullable(String)))';
  const middle = [
    `SELECT ${labels} AS labels, groupArray(bucket) AS bs, groupArray(val) AS vs,`,
    ...(q.orderBy ? [`  ${RANGE_VALUE[q.orderBy.fn]} AS ov,`] : []),
    `  toUInt32(row_number() OVER (${rankOrder.length ? `ORDER BY ${rankOrder.join(', ')}` : ''}) - 1) AS rank`,
    `FROM (\n${indent(inner)}\n)`,
    ...(groups.length ? [`GROUP BY ${groups.join(', ')}`] : []),
    'ORDER BY rank',
    `LIMIT ${p.bind(q.limit?.value ?? MAX_LIMIT, 'UInt32')}`,
  ].join('\n');

  const sql = [
    'SELECT labels, toString(b) AS ts, v AS value, rank',
    `FROM (\n${indent(middle)}\n)`,
    'ARRAY JOIN bs AS b, vs AS v',
    'ORDER BY rank, b',
  ].join('\n');
  return { sql, params: p.values };
}

const indent = (s: string): string => s.replace(/^/gm, '  ');
