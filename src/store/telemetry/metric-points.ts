/**
 * CloudWatch metric data points in ClickHouse (`metric_raw`, which feeds the rollup tiers; see
 * metric-rollups.ts): the one write path for every metric source (PutMetricData, metric filters,
 * EMF), written through the shared group committer.
 *
 * A stored point is the summary of what one publisher sent for one series at one timestamp: sample
 * count, sum, min, max and, when the publisher sent values, their distribution. Publishers build
 * it (lib/metric-observation.ts) from input they validated, finite numbers included; this store
 * checks the shape of what it writes, not the numbers again. Readers aggregate points per period
 * (metric-reader.ts); what a statistic means is the CloudWatch service's business.
 */
import type { SqlEngine } from './engine.ts';
import { GroupCommitter, type GroupCommitOptions, type GroupCommitStats } from './group-commit.ts';
import { jsonString, type PayloadWriter } from './payload.ts';
import { RAW_TABLE } from './metric-rollups.ts';
import type { SeriesVersions } from './metric-read-cache.ts';
import { canonicalDimensions, metricVersionKey, seriesVersionKey } from './metric-series.ts';

/** The summary columns a point stores. */
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

export interface MetricPointStoreOptions extends GroupCommitOptions {
  /** Bumped per series after each committed append (invalidates cached reads; metric-read-cache.ts). */
  seriesVersions?: SeriesVersions;
}

const TABLE = RAW_TABLE;
const COLUMNS = [
  'account', 'region', 'namespace', 'metric_name', 'dimensions', 'ts', 'storage_resolution', 'unit',
  'sample_count', 'sum', 'min', 'max', 'values', 'counts',
] as const;

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

  constructor(engine: SqlEngine, opts: MetricPointStoreOptions = {}) {
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
 * Points as JSONCompactEachRow lines (payload.ts explains the format). Every point's shape is
 * checked before anything is written: one malformed row would fail the whole shared batch.
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

/** A double as JSON (String gives the shortest exact spelling); publishers only send finite ones. */
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
  for (const c of p.counts) if (c < 0) throw new RangeError(`${what}: counts must not be negative`);
  if (!(p.sampleCount > 0)) throw new RangeError(`${what}: sampleCount must be greater than 0, got ${p.sampleCount}`);
  if (p.min > p.max) throw new RangeError(`${what}: min (${p.min}) is greater than max (${p.max})`);
}

function checkTs(v: number, what: string): void {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} must be an integer number of ms, got ${v}`);
}
