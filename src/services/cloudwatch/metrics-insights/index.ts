/**
 * CloudWatch Metrics Insights: the SQL-like query language of GetMetricData (and of alarms and
 * dashboard widgets), parsed to an AST (parse.ts) and compiled to one ClickHouse SELECT over the raw
 * metric points (compile.ts). `runMetricsInsights` is the whole path for callers that just want the
 * series.
 */
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import type { MetricReadCache } from '../../../store/telemetry/metric-read-cache.ts';
import { metricVersionKey } from '../../../store/telemetry/metric-series.ts';
import { RAW_RETENTION_MS } from '../../../store/telemetry/metric-rollups.ts';
import type { MiQuery } from './ast.ts';
import { compileMetricsInsights, type CompileOptions, type MiPlan, type MiRow } from './compile.ts';
import { seriesLabel } from './label.ts';
import { parseMetricsInsights } from './parse.ts';

export type { Condition, FromClause, MiFunction, MiQuery, Name, OrderBy } from './ast.ts';
export { compileMetricsInsights, MIN_PERIOD_SECONDS, type CompileOptions, type MiPlan, type MiRow } from './compile.ts';
export { MetricsInsightsError } from './errors.ts';
export { OTHER, seriesLabel } from './label.ts';
export { FUNCTIONS, isMetricsInsightsQuery, MAX_LIMIT, MAX_QUERY_LENGTH, parseMetricsInsights } from './parse.ts';

export interface MiSeries {
  label: string;
  /** Bucket starts, ms since the epoch, ascending. */
  timestamps: number[];
  values: number[];
}

/**
 * Parses, compiles and runs `query`; returns the series in result order (ORDER BY, else group
 * values). Throws MetricsInsightsError for a bad query. A query without GROUP BY always yields its
 * one series, empty when nothing matched, as GetMetricData returns a result for every query.
 */
export async function runMetricsInsights(engine: SqlEngine, query: string | MiQuery, opts: CompileOptions,
  cache?: MetricReadCache<MiRow[]>, now = Date.now()): Promise<MiSeries[]> {
  const q = typeof query === 'string' ? parseMetricsInsights(query) : query;
  const plan = compileMetricsInsights(q, opts);
  const rows = cache === undefined ? await engine.query<MiRow>(plan.sql, plan.params) : await cachedRows(engine, q, opts, plan, cache, now);
  const series: MiSeries[] = [];
  let current: MiSeries | undefined;
  let rank = -1;
  // Rows come ordered by (rank, ts).
  for (const r of rows) {
    if (r.rank !== rank || current === undefined) {
      rank = r.rank;
      current = { label: seriesLabel(q, r.labels), timestamps: [], values: [] };
      series.push(current);
    }
    current.timestamps.push(Number(r.ts));
    current.values.push(r.value);
  }
  if (series.length === 0 && q.groupBy.length === 0) series.push({ label: seriesLabel(q, []), timestamps: [], values: [] });
  return series;
}

/**
 * A dashboard or alarm re-running the same query reads the result of the last run while nothing
 * was written to the metric since (the version is taken before querying, so a write that lands
 * meanwhile makes the entry stale). An entry is used only until its window's oldest point could
 * leave the raw tier, so expired points never come back from the cache.
 */
async function cachedRows(engine: SqlEngine, q: MiQuery, opts: CompileOptions, plan: MiPlan,
  cache: MetricReadCache<MiRow[]>, now: number): Promise<MiRow[]> {
  const expiresAt = opts.startTime + RAW_RETENTION_MS;
  if (opts.table !== undefined || expiresAt <= now) return engine.query<MiRow>(plan.sql, plan.params);
  const key = JSON.stringify([plan.sql, plan.params]);
  const version = cache.versions.get(metricVersionKey(opts.account, opts.region, q.from.namespace.value, q.metricName.value));
  const hit = cache.get(key, version);
  if (hit !== undefined) return hit;
  const rows = await engine.query<MiRow>(plan.sql, plan.params);
  cache.set(key, version, rows, expiresAt);
  return rows;
}
