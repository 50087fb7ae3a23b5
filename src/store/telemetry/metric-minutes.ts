/**
 * Per-series aggregates of one time window of raw metric points (what a metric stream sends for a
 * minute): count, sum, min, max and the unit of every series of an (account, region) with points
 * in [from, to), narrowed by namespace / metric-name filters, plus percentiles for the metrics that
 * ask for them (from the stored value distributions, weighted by their counts).
 */
import type { SqlEngine } from './engine.ts';
import { RAW_TABLE } from './metric-rollups.ts';

export interface NameFilter {
  namespace: string;
  /** Empty: every metric of the namespace. */
  metricNames: readonly string[];
}

export interface MinuteQuery {
  account: string;
  region: string;
  from: number;
  to: number;
  include: readonly NameFilter[];
  exclude: readonly NameFilter[];
  /** Metrics whose percentiles to compute, with the quantiles (0 < q < 1). */
  percentiles: readonly { namespace: string; metricName: string; quantiles: readonly number[] }[];
}

export interface SeriesAggregate {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  unit: string;
  count: number;
  sum: number;
  min: number;
  max: number;
  quantiles: [number, number][];
}

type Row = { namespace: string; metric_name: string; dimensions: Record<string, string>; unit: string; n: number; s: number; lo: number; hi: number };

export async function seriesAggregates(engine: SqlEngine, q: MinuteQuery): Promise<SeriesAggregate[]> {
  const params: Record<string, unknown> = { account: q.account, region: q.region, from: q.from, to: q.to };
  const where = ['account = {account:String}', 'region = {region:String}', 'ts >= {from:Int64}', 'ts < {to:Int64}'];
  const match = (filters: readonly NameFilter[], prefix: string) => filters.map((f, i) => {
    params[`${prefix}ns${i}`] = f.namespace;
    if (f.metricNames.length === 0) return `namespace = {${prefix}ns${i}:String}`;
    params[`${prefix}mn${i}`] = [...f.metricNames];
    return `(namespace = {${prefix}ns${i}:String} AND metric_name IN {${prefix}mn${i}:Array(String)})`;
  }).join(' OR ');
  if (q.include.length) where.push(`(${match(q.include, 'i')})`);
  if (q.exclude.length) where.push(`NOT (${match(q.exclude, 'x')})`);
  const rows = await engine.query<Row>(
    `SELECT namespace, metric_name, dimensions, any(unit) AS unit, sum(sample_count) AS n, sum(sum) AS s, min(min) AS lo, max(max) AS hi
     FROM ${RAW_TABLE} WHERE ${where.join(' AND ')} GROUP BY namespace, metric_name, dimensions ORDER BY namespace, metric_name`,
    params,
  );
  const out = rows.map((r): SeriesAggregate => ({
    namespace: r.namespace, metricName: r.metric_name, dimensions: r.dimensions, unit: r.unit || 'None',
    count: Number(r.n), sum: Number(r.s), min: Number(r.lo), max: Number(r.hi), quantiles: [],
  }));
  if (q.percentiles.length) await addPercentiles(engine, q, where, params, out);
  return out;
}

async function addPercentiles(engine: SqlEngine, q: MinuteQuery, where: string[], params: Record<string, unknown>, out: SeriesAggregate[]): Promise<void> {
  const levels = [...new Set(q.percentiles.flatMap((p) => p.quantiles))].sort((a, b) => a - b);
  // Aggregate-function parameters must be literals: the levels are numbers the caller parsed.
  const literal = levels.map((l) => {
    if (!(Number.isFinite(l) && l > 0 && l < 1)) throw new RangeError(`quantile ${l} is not in (0, 1)`);
    return String(l);
  }).join(', ');
  const rows = await engine.query<{ namespace: string; metric_name: string; dimensions: Record<string, string>; qs: number[] }>(
    `SELECT namespace, metric_name, dimensions, quantilesExactWeighted(${literal})(v, w) AS qs
     FROM ${RAW_TABLE} ARRAY JOIN values AS v, arrayMap(c -> toUInt64(round(c)), counts) AS w
     WHERE ${where.join(' AND ')} AND (namespace, metric_name) IN arrayZip({pns:Array(String)}, {pmn:Array(String)})
     GROUP BY namespace, metric_name, dimensions`,
    { ...params, pns: q.percentiles.map((p) => p.namespace), pmn: q.percentiles.map((p) => p.metricName) },
  );
  const key = (ns: string, mn: string, d: Record<string, string>) => JSON.stringify([ns, mn, Object.entries(d).sort()]);
  const found = new Map(rows.map((r) => [key(r.namespace, r.metric_name, r.dimensions), r.qs.map(Number)]));
  for (const a of out) {
    const qs = found.get(key(a.namespace, a.metricName, a.dimensions));
    const wanted = q.percentiles.find((p) => p.namespace === a.namespace && p.metricName === a.metricName);
    if (!qs || !wanted) continue;
    a.quantiles = wanted.quantiles.map((l) => [l, qs[levels.indexOf(l)]!]);
  }
}
