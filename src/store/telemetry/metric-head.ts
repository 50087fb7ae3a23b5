/**
 * The metric store's in-memory head (issue 17): acknowledged points waiting for the next flush,
 * kept in the form they are written in.
 *
 * - Raw rows (metric_raw) are RowBinary-encoded as they are added (a series' identity columns are
 *   encoded once and copied): the cost is paid in small slices per request, and a flush sends the
 *   bytes without touching them again.
 * - The 1 min / 5 min / 1 h rollups — sample count, sum, min, max, dist_count and the percentile
 *   sketch (metric-sketch.ts) per (series, unit, interval) — are computed by the head at flush
 *   time from the points kept in columns (metric-head-rollup.ts): what the materialized views
 *   computed per insert before (they cost ~40 % of the engine's CPU). An interval that spans two
 *   flushes becomes two partial rows, which AggregatingMergeTree merges and every reader
 *   aggregates anyway (metric-reader.ts sums/mins/maxes and sumMaps per bucket).
 * - metric_series rows: a series' row when the head first sees it, then at most once a
 *   SERIES_REFRESH_MS (ListMetrics' windows are two weeks and three hours).
 *
 * Raw rows older than the raw tier's retention when they arrive are not written to metric_raw:
 * readers never read raw data past RAW_RETENTION_MS (metric-reader.ts planSegments), its TTL
 * would drop them, and history backfills (the peers workload: 24 h in one go) would otherwise
 * store every sample twice until the TTL merge runs. The rollups keep them.
 */
import type { SqlEngine } from './engine.ts';
import type { Head, HeadBatch } from '../ingest/types.ts';
import type { MetricPoint } from './metric-point.ts';
import { encodeTiers, PointColumns } from './metric-head-rollup.ts';
import { headBuckets, type HeadReadPlan, type HeadSeriesRef } from './metric-head-buckets.ts';
import type { BucketAggregate } from './metric-reader.ts';
import { RAW_RETENTION_MS, RAW_TABLE, ROLLUP_TIERS } from './metric-rollups.ts';
import { canonicalDimensions, metricVersionKey, seriesVersionKey } from './metric-series.ts';
import { SeriesIds, type SeriesIdentity } from './metric-series-ids.ts';
import { RowBinaryWriter } from './row-binary.ts';

export const RAW_COLUMNS = [
  'account', 'region', 'namespace', 'metric_name', 'dimensions', 'ts', 'storage_resolution', 'unit',
  'sample_count', 'sum', 'min', 'max', 'values', 'counts',
] as const;
const TIER_COLUMNS = ['series', 'unit', 'ts', 'sample_count', 'sum', 'min', 'max', 'dist_count', 'sketch'] as const;
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
const SERIES_ROW_BYTES = 200;

interface SeriesRow { series: SeriesIdentity; lastTs: number; publishedAt: number }

export interface MetricHeadOptions {
  /** The clock (raw retention cut, series refresh, last_publish). */
  now?: () => number;
}

export class MetricHead implements Head<MetricPoint> {
  private raw = new RowBinaryWriter(1024 * 1024);
  private points = new PointColumns();
  private seriesRows = new Map<SeriesIdentity, SeriesRow>();
  /** Series (by lookup key, see identity()) → its identity, and its id once resolved; kept across flushes. */
  private readonly known = new Map<string, SeriesIdentity>();
  /** Series → when its metric_series row was last queued. */
  private readonly seriesWritten = new Map<SeriesIdentity, number>();
  private readonly ids: SeriesIds;
  private readonly now: () => number;
  /** The metric of the last point identity() saw, and its part of the lookup key. */
  private lastMetric = { account: '', region: '', namespace: '', metricName: '', key: '' };
  /** Per added array of points, the version keys of its series and metrics (see versionKeysOf). */
  private readonly versionKeys = new WeakMap<readonly MetricPoint[], Set<string>>();

  constructor(private readonly engine: SqlEngine, opts: MetricHeadOptions = {}) {
    this.ids = new SeriesIds(engine);
    this.now = opts.now ?? Date.now;
  }

  get rows(): number {
    return this.points.length;
  }

  get bytes(): number {
    return this.raw.length + this.points.bytes + this.seriesRows.size * SERIES_ROW_BYTES;
  }

  /**
   * Adds points. They come through the WAL codec, which checked every one before the append was
   * written (metric-wal-codec.ts), so they are not checked again here.
   */
  add(points: readonly MetricPoint[]): void {
    const now = this.now();
    const rawSince = now - RAW_RETENTION_MS;
    const keys = new Set<string>();
    this.versionKeys.set(points, keys);
    for (const p of points) {
      const series = this.identity(p);
      keys.add(series.key);
      keys.add(series.metricKey);
      if (p.timestamp >= rawSince) this.writeRaw(p, series);
      this.points.push(series, p.unit, p.timestamp, p.sampleCount, p.sum, p.min, p.max, p.values, p.counts);
      this.noteSeries(series, p.timestamp, now);
    }
  }

  /**
   * The read-cache version keys (metric-series.ts) of every series and metric in `points`, an
   * array this head added — computed by add() anyway, so the store's acknowledgement does not
   * build them again (~0.5 µs a point). Undefined for an array it did not add; taken once.
   */
  takeVersionKeys(points: readonly MetricPoint[]): Set<string> | undefined {
    const keys = this.versionKeys.get(points);
    this.versionKeys.delete(points);
    return keys;
  }

  /**
   * Per series (same order), its points in this head as buckets of `plan` (metric-head-buckets.ts);
   * undefined when the head holds no point. Synchronous: a snapshot for IngestPipeline.readWithHead.
   */
  buckets(series: readonly HeadSeriesRef[], plan: HeadReadPlan): BucketAggregate[][] | undefined {
    if (this.points.length === 0) return undefined;
    return series.map((s) => headBuckets(this.points, s, plan));
  }

  drain(): HeadBatch {
    const batch = new MetricHeadBatch(this.engine, this.ids, this.raw.take(), this.points, [...this.seriesRows.values()]);
    this.raw.reset();
    this.points = new PointColumns(batch.rows);
    this.seriesRows = new Map();
    return batch;
  }

  /**
   * The series of `p`. Looked up by its dimensions in the publisher's order (no sort, no entries
   * array per point); the same set in another order is another entry of the same series, which
   * only means a second tier row for the same interval — merged like any partial row.
   */
  private identity(p: MetricPoint): SeriesIdentity {
    // The metric part of the key is the previous point's in nearly every call (one metric, many
    // series): kept rather than concatenated again per point.
    const m = this.lastMetric;
    if (p.metricName !== m.metricName || p.namespace !== m.namespace || p.account !== m.account || p.region !== m.region) {
      this.lastMetric = { account: p.account, region: p.region, namespace: p.namespace, metricName: p.metricName,
        key: `${p.account.length}:${p.account}${p.region.length}:${p.region}${p.namespace.length}:${p.namespace}${p.metricName.length}:${p.metricName}` };
    }
    let key = this.lastMetric.key;
    for (const k in p.dimensions) {
      const v = p.dimensions[k]!;
      key += `${k.length}:${k}${v.length}:${v}`;
    }
    let s = this.known.get(key);
    if (s === undefined) {
      if (this.known.size >= MAX_REMEMBERED_SERIES) this.known.clear();
      const dims = canonicalDimensions(p.dimensions);
      s = {
        key: seriesVersionKey(p.account, p.region, p.namespace, p.metricName, dims),
        metricKey: metricVersionKey(p.account, p.region, p.namespace, p.metricName),
        account: p.account, region: p.region, namespace: p.namespace, metricName: p.metricName, dims, id: undefined,
      };
      this.known.set(key, s);
    }
    return s;
  }

  private writeRaw(p: MetricPoint, s: SeriesIdentity): void {
    const w = this.raw;
    // The series columns are the same bytes for every point of the series: encoded once.
    w.raw(s.rawPrefix ??= seriesColumnsBytes(s));
    w.int64(p.timestamp);
    w.uint8(p.storageResolution);
    w.string(p.unit);
    // `|| 0`: -0 is stored as 0 (what the JSON path stored; readers never tell them apart).
    w.float64(p.sampleCount);
    w.float64(p.sum || 0);
    w.float64(p.min || 0);
    w.float64(p.max || 0);
    w.varUInt(p.values.length);
    for (const v of p.values) w.float64(v || 0);
    w.varUInt(p.counts.length);
    for (const c of p.counts) w.float64(c);
  }

  private noteSeries(s: SeriesIdentity, ts: number, now: number): void {
    const row = this.seriesRows.get(s);
    if (row !== undefined) {
      if (ts > row.lastTs) row.lastTs = ts;
      return;
    }
    const written = this.seriesWritten.get(s);
    if (written !== undefined && now - written < SERIES_REFRESH_MS) return;
    if (this.seriesWritten.size >= MAX_REMEMBERED_SERIES) this.seriesWritten.clear();
    this.seriesWritten.set(s, now);
    this.seriesRows.set(s, { series: s, lastTs: ts, publishedAt: now });
  }
}

function seriesColumnsBytes(s: SeriesIdentity): Buffer {
  const w = new RowBinaryWriter(64);
  writeSeriesColumns(w, s);
  return w.take();
}

/** account, region, namespace, metric_name, dimensions (the columns metric_raw and metric_series share). */
function writeSeriesColumns(w: RowBinaryWriter, s: SeriesIdentity): void {
  w.string(s.account);
  w.string(s.region);
  w.string(s.namespace);
  w.string(s.metricName);
  w.stringMap(s.dims);
}

class MetricHeadBatch implements HeadBatch {
  private tierPayloads: Buffer[] | undefined;
  private seriesPayload: Buffer | undefined;

  constructor(
    private readonly engine: SqlEngine,
    private readonly ids: SeriesIds,
    private readonly rawPayload: Buffer,
    private readonly points: PointColumns,
    private readonly seriesRows: readonly SeriesRow[],
  ) {}

  get rows(): number {
    return this.points.length;
  }

  /**
   * Series rows first (a point in the engine is always listed), then raw, then the tiers. Payloads
   * are encoded once and kept, so a retry sends the same bytes under the same tokens.
   */
  async insert(dedupToken: string): Promise<void> {
    const insert = async (table: string, columns: readonly string[], payload: Buffer): Promise<void> => {
      if (payload.length > 0) await this.engine.insert(table, columns, payload, 'RowBinary', { dedupToken: `${dedupToken}:${table}` });
    };
    // New series' ids are asked for while the series and raw rows are written: the query runs on
    // the engine's read session, the inserts on its ingest session (a small flush: ~3 ms saved of ~35).
    const resolving = this.tierPayloads === undefined ? this.ids.resolve(this.points.series) : undefined;
    resolving?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    // Side by side (the engine has several ingest sessions): a flush costs its slowest insert, not
    // the sum. No order is needed between them: readers wait for the whole flush (read-your-writes),
    // and after a crash the batch is inserted again whole under the same tokens.
    const series = insert(SERIES_TABLE, SERIES_COLUMNS, this.seriesPayload ??= encodeSeriesRows(this.seriesRows));
    const raw = insert(RAW_TABLE, RAW_COLUMNS, this.rawPayload);
    const tiers = (async () => {
      if (this.tierPayloads === undefined) {
        await resolving;
        this.tierPayloads = encodeTiers(this.points);
      }
      const payloads = this.tierPayloads;
      const done = await Promise.allSettled(ROLLUP_TIERS.map((t, i) => insert(t.table, TIER_COLUMNS, payloads[i]!)));
      const failed = done.find((r) => r.status === 'rejected');
      if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    })();
    // Every started insert settles before the batch reports (a retry must not overlap them).
    const settled = await Promise.allSettled([series, raw, tiers]);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }
}

function encodeSeriesRows(rows: readonly SeriesRow[]): Buffer {
  const w = new RowBinaryWriter(rows.length * 64 + 16);
  for (const r of rows) {
    writeSeriesColumns(w, r.series);
    w.int64(r.lastTs);
    w.int64(r.publishedAt);
  }
  return w.bytes();
}
