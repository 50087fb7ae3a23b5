/**
 * CloudWatch metric data points: the one write path for every metric source (PutMetricData,
 * metric filters, EMF), on the second-generation ingest pipeline (issue 17): an append is
 * acknowledged once its points are in the write-ahead log and the metric head (metric-head.ts),
 * which writes metric_raw, the three rollup tiers and metric_series in large RowBinary batches.
 *
 * Reads see acknowledged points: MetricReader merges the head's points into its reads of data
 * points (headReads(), metric-head-buckets.ts), so a read right after a write — an alarm
 * evaluating the point that just arrived — does not wait for a flush; every other reader of a
 * metric table (Metrics Insights, ListMetrics, Athena) goes through the engine wrapped by
 * src/store/ingest/read-your-writes.ts, which waits for the pipeline's sync() first. What a
 * statistic means is the CloudWatch service's business; readers aggregate points per period.
 */
import type { SqlEngine } from './engine.ts';
import { createIngestPipeline } from '../ingest/pipeline.ts';
import type { IngestPipeline, IngestPipelineOptions, IngestPipelineStats } from '../ingest/types.ts';
import type { MetricPoint } from './metric-point.ts';
import { MetricHead } from './metric-head.ts';
import { metricWalCodec } from './metric-wal-codec.ts';
import type { SeriesVersions } from './metric-read-cache.ts';
import type { MetricHeadReads } from './metric-reader.ts';
import { canonicalDimensions, metricVersionKey, seriesVersionKey } from './metric-series.ts';

export type { MetricPoint, PointSummary } from './metric-point.ts';
export { SERIES_REFRESH_MS } from './metric-head.ts';

export interface MetricPointStoreOptions {
  /** Bumped per series after each acknowledged append (invalidates cached reads; metric-read-cache.ts). */
  seriesVersions?: SeriesVersions;
}

/** Matches the SQL of every read of a table the metric head writes (for read-your-writes.ts). */
export const METRIC_TABLES_RE = /\bmetric_(raw|tier_1m_v2|tier_5m|tier_1h|series)\b/;

export class MetricPointStore {
  private readonly versions: SeriesVersions | undefined;
  private readonly appendListeners: ((points: readonly MetricPoint[]) => void)[] = [];

  /** `head`: the pipeline's head, when it is a MetricHead (it hands over the version keys it computed). */
  constructor(private readonly pipeline: IngestPipeline<MetricPoint>, opts: MetricPointStoreOptions = {}, private readonly head?: MetricHead) {
    this.versions = opts.seriesVersions;
  }

  /**
   * The store over a new pipeline in `pipelineOpts.dir` (replaying what its WAL holds). `engine`
   * must be the bare engine, not the read-your-writes wrapper: the head's flush queries it (series
   * ids) and must not wait for its own pipeline.
   */
  static async open(engine: SqlEngine, pipelineOpts: IngestPipelineOptions, opts: MetricPointStoreOptions = {}): Promise<MetricPointStore> {
    const head = new MetricHead(engine);
    const pipeline = await createIngestPipeline(metricWalCodec, head, pipelineOpts);
    return new MetricPointStore(pipeline, opts, head);
  }

  /** The pipeline (for read-your-writes.ts and stats). */
  get ingest(): IngestPipeline<MetricPoint> {
    return this.pipeline;
  }

  /**
   * How MetricReader merges this store's head into reads of data points instead of flushing it
   * first; `engine` must be the bare engine the head writes to. Undefined without a MetricHead.
   */
  headReads(engine: SqlEngine): MetricHeadReads | undefined {
    const head = this.head;
    if (head === undefined) return undefined;
    return { engine, readWithHead: this.pipeline.readWithHead.bind(this.pipeline), buckets: head.buckets.bind(head) };
  }

  /** Called after every acknowledged append (alarm evaluation reacts to new data within a turn). */
  onAppend(listener: (points: readonly MetricPoint[]) => void): void {
    this.appendListeners.push(listener);
  }

  /** Resolves once the points are durable in the WAL; rejects if a point is invalid or the pipeline refuses them. */
  async append(points: readonly MetricPoint[]): Promise<void> {
    let acked = false;
    try {
      await this.pipeline.append(points);
      acked = true;
      for (const l of this.appendListeners) l(points);
    } finally {
      // After the acknowledgement: a read that began before it cached older data. (A refused
      // append changed nothing, so nothing is invalidated.)
      if (acked) this.bumpVersions(points);
    }
  }

  private bumpVersions(points: readonly MetricPoint[]): void {
    const versions = this.versions;
    if (versions === undefined) return;
    const computed = this.head?.takeVersionKeys(points);
    if (computed !== undefined) {
      versions.bump(computed);
      return;
    }
    const keys = new Set<string>();
    let prev: MetricPoint | undefined;
    for (const p of points) {
      keys.add(seriesVersionKey(p.account, p.region, p.namespace, p.metricName, canonicalDimensions(p.dimensions)));
      // Calls usually carry one metric (or a few) for many series.
      if (prev === undefined || p.metricName !== prev.metricName || p.namespace !== prev.namespace || p.account !== prev.account || p.region !== prev.region) {
        keys.add(metricVersionKey(p.account, p.region, p.namespace, p.metricName));
      }
      prev = p;
    }
    versions.bump(keys);
  }

  /** Resolves once every point acknowledged so far is in the engine. */
  async flush(): Promise<void> {
    await this.pipeline.sync();
  }

  /** Refuses further appends and writes what the head holds. */
  async close(): Promise<void> {
    await this.pipeline.close();
  }

  stats(): IngestPipelineStats {
    return this.pipeline.stats();
  }
}
