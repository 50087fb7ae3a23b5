/**
 * CloudWatch metric data points in ClickHouse (`metric_raw`, which feeds the rollup tiers; see
 * metric-rollups.ts): the one write path for every metric source (PutMetricData, metric filters,
 * EMF), written
 * through the shared group committer, plus a minimal per-series reader.
 *
 * A stored point is the statistical summary of what one publisher sent for one series at one
 * timestamp, in the form PutMetricData's MetricDatum accepts it:
 * - `Value` v                 → sampleCount 1, sum/min/max v, values [v], counts [1];
 * - `Values` + `Counts`       → their totals, and the distribution itself (for percentiles);
 * - `StatisticValues`         → the four numbers as given and an empty distribution, so percentiles
 *                                are unavailable for it, as in CloudWatch.
 * Every statistic CloudWatch serves (SampleCount, Sum, Minimum, Maximum, Average, pNN, TM/WM/PR/TC)
 * is therefore computable by aggregating points over a period, and the later rollup tables can be
 * fed from this one.
 */
import type { SqlEngine } from './engine.ts';
import { GroupCommitter, type GroupCommitOptions, type GroupCommitStats } from './group-commit.ts';
import { jsonString, type PayloadWriter } from './payload.ts';
import { RAW_TABLE } from './metric-rollups.ts';
import { metricVersionKey, seriesVersionKey, type SeriesVersions } from './metric-read-cache.ts';

/** PutMetricData's StatisticSet. */
export interface StatisticSet {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/** The value part of a MetricDatum: exactly one of the three forms PutMetricData accepts. */
export type MetricObservation =
  | { value: number }
  /** `counts` defaults to 1 for every value; when given it must have the same length. */
  | { values: readonly number[]; counts?: readonly number[] }
  /**
   * A StatisticSet, optionally with the distribution it summarises (the CloudWatch agent's and
   * OpenTelemetry's histogram form in EMF): the statistics are kept as given, since histogram
   * values are often bucket representatives whose weighted sum is not the true Sum.
   */
  | { statisticValues: StatisticSet; values?: readonly number[]; counts?: readonly number[] };

/** The summary columns a point stores for an observation (see `summarize`). */
export interface PointSummary {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** The distribution: each distinct value once, in `counts` how often it occurred. Empty for a StatisticSet. */
  values: readonly number[];
  counts: readonly number[];
}

export interface MetricPoint extends PointSummary {
  account: string;
  region: string;
  namespace: string;
  metricName: string;
  /** Name → value. Stored canonically (sorted by name), so equal sets are equal series. */
  dimensions: Readonly<Record<string, string>>;
  /** ms since the epoch. */
  timestamp: number;
  /** 1 = high resolution, 60 = standard (CloudWatch's StorageResolution). */
  storageResolution: 1 | 60;
  /** A CloudWatch StandardUnit; 'None' when the publisher gave none. */
  unit: string;
}

export interface MetricSeriesQuery {
  account: string;
  region: string;
  namespace: string;
  metricName: string;
  /** Exact dimension set of the series; undefined = every series of the metric. */
  dimensions?: Readonly<Record<string, string>>;
  /** Inclusive, ms. */
  startTime: number;
  /** Exclusive, ms. */
  endTime: number;
}

export interface MetricPointStoreOptions extends GroupCommitOptions {
  /** Bumped per series after each committed append (invalidates cached reads; metric-read-cache.ts). */
  seriesVersions?: SeriesVersions;
}

const TABLE = RAW_TABLE;
const COLUMNS = [
  'account', 'region', 'namespace', 'metric_name', 'dimensions', 'ts', 'storage_resolution', 'unit',
  'sample_count', 'sum', 'min', 'max', 'values', 'counts',
] as const;

/**
 * The summary of one observation, checked: every number finite, counts non-negative, a positive
 * sample count and min ≤ max. Throws RangeError otherwise (callers validate their API input first;
 * this is the store's last line, because one bad row would fail every caller's batch).
 */
export function summarize(o: MetricObservation): PointSummary {
  if ('statisticValues' in o) {
    const s = o.statisticValues;
    const summary = {
      sampleCount: finite(s.sampleCount, 'sampleCount'),
      sum: finite(s.sum, 'sum'),
      min: finite(s.minimum, 'minimum'),
      max: finite(s.maximum, 'maximum'),
      values: [] as number[],
      counts: [] as number[],
    };
    checkSummary(summary, 'statisticValues');
    if (o.values !== undefined) {
      const d = distribution(o.values, o.counts);
      summary.values = d.values;
      summary.counts = d.counts;
    }
    return summary;
  }
  if ('value' in o) {
    const v = finite(o.value, 'value');
    return { sampleCount: 1, sum: v, min: v, max: v, values: [v], counts: [1] };
  }
  const { values, counts } = distribution(o.values, o.counts);
  let sampleCount = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const c = counts[i]!;
    if (c === 0) continue;
    sampleCount += c;
    sum += v * c;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (sampleCount <= 0) throw new RangeError('the counts must add up to more than 0');
  return { sampleCount, sum: finite(sum, 'sum'), min, max, values, counts };
}

/** Checked copies of Values and Counts (counts default to 1 each). */
function distribution(values: readonly number[], counts?: readonly number[]): { values: number[]; counts: number[] } {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError('values must be a non-empty array');
  const c = counts ?? values.map(() => 1);
  if (!Array.isArray(c) || c.length !== values.length) throw new RangeError(`counts has ${c.length} entries for ${values.length} values`);
  for (const v of values) finite(v, 'values[]');
  for (const n of c) if (finite(n, 'counts[]') < 0) throw new RangeError(`counts must not be negative, got ${n}`);
  return { values: [...values], counts: [...c] };
}

/**
 * Accumulates observed values into a distribution (distinct values with their counts, in order of
 * first appearance): what metric filters publish per minute.
 */
export class Distribution {
  private readonly counts = new Map<number, number>();

  add(value: number, count = 1): void {
    // -0 and 0 are one value (Map keys already treat them alike; keep the first spelling).
    this.counts.set(value, (this.counts.get(value) ?? 0) + count);
  }

  get size(): number {
    return this.counts.size;
  }

  summary(): PointSummary {
    return summarize({ values: [...this.counts.keys()], counts: [...this.counts.values()] });
  }
}

/** Dimensions sorted by name: the canonical form stored and compared. */
export function canonicalDimensions(d: Readonly<Record<string, string>>): [string, string][] {
  const entries = Object.entries(d);
  return entries.length < 2 ? entries : entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A metric_series row: the series of `point`, its newest timestamp in the append and when it was published. */
interface SeriesRow { point: MetricPoint; lastTs: number; publishedAt: number }

const SERIES_TABLE = 'metric_series';
const SERIES_COLUMNS = ['account', 'region', 'namespace', 'metric_name', 'dimensions', 'last_ts', 'last_publish'] as const;
/**
 * A series that keeps publishing has its metric_series row rewritten at most this often. ListMetrics
 * lists series published to in the last two weeks (RecentlyActive: three hours), so a minute of
 * staleness never changes a listing in practice, and steady ingest writes ~one row per series a minute.
 */
export const SERIES_REFRESH_MS = 60_000;
/** Past this many remembered series the memory is dropped (their rows are simply written again). */
const MAX_REMEMBERED_SERIES = 1_000_000;

export class MetricPointStore {
  private readonly committer: GroupCommitter<MetricPoint>;
  private readonly seriesCommitter: GroupCommitter<SeriesRow>;
  /** Series key → when this process last wrote the series' metric_series row. */
  private readonly seriesWritten = new Map<string, number>();

  private readonly versions: SeriesVersions | undefined;
  private readonly appendListeners: ((points: readonly MetricPoint[]) => void)[] = [];

  constructor(private readonly engine: SqlEngine, opts: MetricPointStoreOptions = {}) {
    const { seriesVersions, ...commit } = opts;
    this.versions = seriesVersions;
    this.committer = new GroupCommitter<MetricPoint>(
      (payload) => engine.insert(TABLE, COLUMNS, payload, 'JSONCompactEachRow'),
      encodeMetricPoints,
      commit,
    );
    this.seriesCommitter = new GroupCommitter<SeriesRow>(
      (payload) => engine.insert(SERIES_TABLE, SERIES_COLUMNS, payload, 'JSONCompactEachRow'),
      encodeSeriesRows,
      commit,
    );
  }

  /** Called after every committed append (alarm evaluation reacts to new data within a turn). */
  onAppend(listener: (points: readonly MetricPoint[]) => void): void {
    this.appendListeners.push(listener);
  }

  /** Resolves only after the points are inserted (group commit); rejects if their batch failed or a point is invalid. */
  async append(points: readonly MetricPoint[]): Promise<void> {
    const seriesKeys = points.map((p) => seriesVersionKey(p.account, p.region, p.namespace, p.metricName, canonicalDimensions(p.dimensions)));
    try {
      // The series first: a point acknowledged is always listed (a failed point insert after it
      // leaves at worst a listed series without that point).
      await this.recordSeries(points, seriesKeys);
      await this.committer.append(points);
      for (const l of this.appendListeners) l(points);
    } finally {
      // After the commit (or its failure, harmlessly): a read that began before it cached older data.
      const versions = this.versions;
      if (versions !== undefined) {
        const keys = new Set<string>(seriesKeys);
        let prev: MetricPoint | undefined;
        for (const p of points) {
          // Calls usually carry one metric (or a few) for many series.
          if (prev === undefined || p.metricName !== prev.metricName || p.namespace !== prev.namespace || p.account !== prev.account || p.region !== prev.region) {
            keys.add(metricVersionKey(p.account, p.region, p.namespace, p.metricName));
          }
          prev = p;
        }
        versions.bump(keys);
      }
    }
  }

  /** Writes metric_series rows for the series not written in the last SERIES_REFRESH_MS. */
  private async recordSeries(points: readonly MetricPoint[], keys: readonly string[]): Promise<void> {
    const now = Date.now();
    let fresh: Map<string, SeriesRow> | undefined;
    for (let i = 0; i < points.length; i++) {
      const written = this.seriesWritten.get(keys[i]!);
      if (written !== undefined && now - written < SERIES_REFRESH_MS) continue;
      const p = points[i]!;
      const row = (fresh ??= new Map()).get(keys[i]!);
      if (row === undefined) {
        checkPoint(p, i);
        fresh.set(keys[i]!, { point: p, lastTs: p.timestamp, publishedAt: now });
      } else if (p.timestamp > row.lastTs) {
        row.lastTs = p.timestamp;
      }
    }
    if (fresh === undefined) return;
    await this.seriesCommitter.append([...fresh.values()]);
    if (this.seriesWritten.size + fresh.size > MAX_REMEMBERED_SERIES) this.seriesWritten.clear();
    for (const k of fresh.keys()) this.seriesWritten.set(k, now);
  }

  /**
   * Points of one metric in [startTime, endTime), ordered by series then time; a minimal reader
   * (GetMetricData will aggregate in SQL instead).
   */
  async query(q: MetricSeriesQuery): Promise<MetricPoint[]> {
    const params: Record<string, unknown> = {
      account: q.account, region: q.region, namespace: q.namespace, metricName: q.metricName,
      startTime: checkTs(q.startTime, 'startTime'), endTime: checkTs(q.endTime, 'endTime'),
    };
    const where = [
      'account = {account:String}', 'region = {region:String}',
      'namespace = {namespace:String}', 'metric_name = {metricName:String}',
      'ts >= {startTime:Int64}', 'ts < {endTime:Int64}',
    ];
    if (q.dimensions !== undefined) {
      const dims = canonicalDimensions(q.dimensions);
      // Keys and values as two arrays: Array parameters bind the same way on chDB and the server.
      where.push('mapKeys(dimensions) = {dimKeys:Array(String)}', 'mapValues(dimensions) = {dimValues:Array(String)}');
      params.dimKeys = dims.map(([k]) => k);
      params.dimValues = dims.map(([, v]) => v);
    }
    const rows = await this.engine.query<{
      dimensions: Record<string, string>; ts: string; storage_resolution: number; unit: string;
      sample_count: number; sum: number; min: number; max: number; values: number[]; counts: number[];
    }>(
      `SELECT dimensions, ts, storage_resolution, unit, sample_count, sum, min, max, values, counts FROM ${TABLE} ` +
      `WHERE ${where.join(' AND ')} ORDER BY dimensions, ts`,
      params,
    );
    return rows.map((r) => ({
      account: q.account, region: q.region, namespace: q.namespace, metricName: q.metricName,
      dimensions: r.dimensions,
      timestamp: Number(r.ts),
      storageResolution: r.storage_resolution === 1 ? 1 : 60,
      unit: r.unit,
      sampleCount: r.sample_count, sum: r.sum, min: r.min, max: r.max,
      values: r.values, counts: r.counts,
    }));
  }

  /** Waits for in-flight and buffered inserts. */
  async flush(): Promise<void> {
    await Promise.all([this.seriesCommitter.flush(), this.committer.flush()]);
  }

  /** Refuses further appends and waits for the pending ones. */
  async close(): Promise<void> {
    await Promise.all([this.seriesCommitter.close(), this.committer.close()]);
  }

  stats(): GroupCommitStats & { queuedBytes: number; inFlight: number } {
    return this.committer.stats();
  }
}

/**
 * Points as JSONCompactEachRow lines (payload.ts explains the format). Every point is checked
 * before anything is written: a NaN would serialise as `null` and fail the whole shared batch.
 */
export function encodeMetricPoints(points: readonly MetricPoint[], out: PayloadWriter): void {
  for (let i = 0; i < points.length; i++) checkPoint(points[i]!, i);
  for (const p of points) {
    out.write(
      `[${seriesColumns(p)},${p.timestamp},${p.storageResolution},${jsonString(p.unit)},` +
      `${num(p.sampleCount)},${num(p.sum)},${num(p.min)},${num(p.max)},` +
      `[${p.values.map(num).join(',')}],[${p.counts.map(num).join(',')}]]\n`,
    );
  }
}

/** metric_series rows as JSONCompactEachRow lines (the points are checked by the caller). */
function encodeSeriesRows(rows: readonly SeriesRow[], out: PayloadWriter): void {
  for (const { point, lastTs, publishedAt } of rows) out.write(`[${seriesColumns(point)},${lastTs},${publishedAt}]\n`);
}

/** The series identity columns (account, region, namespace, metric_name, dimensions) as JSON values. */
function seriesColumns(p: MetricPoint): string {
  const dims = canonicalDimensions(p.dimensions).map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`).join(',');
  return `${jsonString(p.account)},${jsonString(p.region)},${jsonString(p.namespace)},${jsonString(p.metricName)},{${dims}}`;
}

/** A finite double as JSON (JSON.stringify already gives the shortest exact spelling). */
const num = (v: number): string => (Object.is(v, -0) ? '0' : String(v));

function checkPoint(p: MetricPoint, i: number): void {
  const what = `metric point ${i}`;
  for (const k of ['account', 'region', 'namespace', 'metricName', 'unit'] as const) {
    if (typeof p[k] !== 'string') throw new TypeError(`${what}: ${k} must be a string`);
  }
  if (p.namespace === '' || p.metricName === '') throw new RangeError(`${what}: namespace and metricName must not be empty`);
  if (typeof p.dimensions !== 'object' || p.dimensions === null) throw new TypeError(`${what}: dimensions must be an object`);
  for (const [k, v] of Object.entries(p.dimensions)) {
    if (typeof v !== 'string') throw new TypeError(`${what}: dimension ${JSON.stringify(k)} must have a string value`);
  }
  checkTs(p.timestamp, `${what}: timestamp`);
  if (p.storageResolution !== 1 && p.storageResolution !== 60) {
    throw new RangeError(`${what}: storageResolution must be 1 or 60, got ${String(p.storageResolution)}`);
  }
  if (!Array.isArray(p.values) || !Array.isArray(p.counts) || p.values.length !== p.counts.length) {
    throw new RangeError(`${what}: values and counts must be arrays of the same length`);
  }
  for (const v of p.values) finite(v, `${what}: values[]`);
  for (const c of p.counts) if (finite(c, `${what}: counts[]`) < 0) throw new RangeError(`${what}: counts must not be negative`);
  checkSummary(p, what);
}

function checkSummary(s: Pick<PointSummary, 'sampleCount' | 'sum' | 'min' | 'max'>, what: string): void {
  for (const k of ['sampleCount', 'sum', 'min', 'max'] as const) finite(s[k], `${what}: ${k}`);
  if (!(s.sampleCount > 0)) throw new RangeError(`${what}: sampleCount must be greater than 0, got ${s.sampleCount}`);
  if (s.min > s.max) throw new RangeError(`${what}: min (${s.min}) is greater than max (${s.max})`);
}

function finite(v: number, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what} must be a finite number, got ${String(v)}`);
  return v;
}

function checkTs(v: number, what: string): number {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} must be an integer number of ms, got ${v}`);
  return v;
}
