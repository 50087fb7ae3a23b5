/**
 * The telemetry store: log events, metric points (with their reader and read cache) and
 * CloudTrail's recorded events, each a `<kind>.ts` store over the same engine and migration list.
 *
 * Log events and metric points are written through ingest pipelines (src/store/ingest/, issue 17;
 * docs/ingest.md): acknowledged once in their write-ahead log, flushed to the engine in large
 * batches. Everything else reads through `readYourWrites`, so a query that touches their tables
 * first waits for the rows acknowledged before it.
 */
import { join } from 'node:path';
import { ChdbEngine, ClickHouseServerEngine, type SqlEngine } from './engine.ts';
import { snapshotChdb } from './backup.ts';
import { LogEventStore } from './log-events.ts';
import { createLogEventPipeline } from './log-head.ts';
import { readYourWrites } from '../ingest/read-your-writes.ts';
import type { IngestLogger, IngestObserver, IngestPipelineOptions, IngestPipelineStats } from '../ingest/types.ts';
import { migrate } from './migrations.ts';
import { TrailEventStore } from './trail-events.ts';
import { KinesisRecordStore } from './kinesis-records.ts';
import { createTraceSegmentPipeline, TraceSegmentStore } from './trace-segments.ts';
import { MetricPointStore } from './metric-points.ts';
import { MetricReader, type BucketAggregate } from './metric-reader.ts';
import { MetricReadCache, SeriesVersions } from './metric-read-cache.ts';

export type TelemetryConfig =
  | { kind: 'chdb'; path: string; fsync?: boolean }
  | { kind: 'clickhouse'; url: string; username?: string; password?: string; database?: string };

/** Pipeline tuning (flush thresholds, memory bound); dir and fsync come from TelemetryOptions. */
export type PipelineTuning = Omit<IngestPipelineOptions, 'dir' | 'fsync'>;

export interface TelemetryOptions {
  /**
   * Where the write-ahead logs live (`logs/`, `metrics/` below it). Defaults to `<path>/wal` for
   * the embedded engine; required with a ClickHouse server (the WAL is per process, on local disk).
   */
  walDir?: string;
  /** fdatasync WAL writes (the server's `fsync` setting); defaults to the engine config's fsync. */
  fsync?: boolean;
  /** Where the pipelines report flush failures, retries and WAL recovery. */
  logger?: IngestLogger;
  /** Self-monitoring: an observer of appends and flushes per table (`log_events`, `metric_points`, `kinesis_records`). */
  observe?: (table: IngestTable) => IngestObserver | undefined;
  logEvents?: PipelineTuning;
  metricPoints?: PipelineTuning;
  kinesisRecords?: PipelineTuning;
  traceSegments?: PipelineTuning;
}

export interface Telemetry {
  engine: SqlEngine;
  logEvents: LogEventStore;
  /** CloudTrail's recorded events (the cloudtrail module writes them). */
  trailEvents: TrailEventStore;
  metricPoints: MetricPointStore;
  metricReader: MetricReader;
  /** Kinesis Data Streams records (the kinesis module writes and reads them). */
  kinesisRecords: KinesisRecordStore;
  /** X-Ray segment documents (the xray module writes and reads them). */
  traceSegments: TraceSegmentStore;
  /** Write versions of series and metrics, for caches of reads; undefined when other processes may write (ClickHouse server). */
  seriesVersions: SeriesVersions | undefined;
  /** WAL, head and flush figures of each ingest pipeline, by table (cheap: in-memory counters). */
  ingestStats(): Record<IngestTable, IngestPipelineStats>;
  /**
   * Embedded engine only (undefined with a ClickHouse server, which has its own BACKUP): flushes
   * every acknowledged row, then snapshots the telemetry database (backup.ts); returns the
   * snapshot's directory, inside the engine's directory, for the caller to move away.
   */
  snapshot: (() => Promise<string>) | undefined;
  /** Stops accepting appends, waits for pending inserts, then closes the engine. */
  close(): Promise<void>;
}

export type IngestTable = 'log_events' | 'metric_points' | 'kinesis_records' | 'trace_segments';

export async function openTelemetry(cfg: TelemetryConfig, opts: TelemetryOptions = {}): Promise<Telemetry> {
  const engine: SqlEngine = cfg.kind === 'chdb'
    ? await ChdbEngine.open({ path: cfg.path, fsync: cfg.fsync })
    : await ClickHouseServerEngine.open(cfg);
  try {
    await migrate(engine);
  } catch (e) {
    await engine.close();
    throw e;
  }
  const walDir = opts.walDir ?? (cfg.kind === 'chdb' ? join(cfg.path, 'wal') : undefined);
  if (walDir === undefined) {
    await engine.close();
    throw new Error('openTelemetry: walDir is required with a ClickHouse server (the write-ahead log is on local disk)');
  }
  const fsync = opts.fsync ?? (cfg.kind === 'chdb' ? cfg.fsync === true : true);
  // Cached metric reads need every write to pass through this process: embedded engine only.
  const versions = cfg.kind === 'chdb' ? new SeriesVersions() : undefined;
  let logPipeline;
  let metricPoints;
  let kinesis;
  let traces;
  try {
    // The pipelines get the bare engine: their flushes must not wait for themselves.
    logPipeline = await createLogEventPipeline(engine, { ...opts.logEvents, dir: join(walDir, 'logs'), fsync, logger: opts.logger, observer: opts.observe?.('log_events') });
    metricPoints = await MetricPointStore.open(engine, { ...opts.metricPoints, dir: join(walDir, 'metrics'), fsync, logger: opts.logger, observer: opts.observe?.('metric_points') }, { seriesVersions: versions });
    kinesis = await KinesisRecordStore.pipeline(engine, { ...opts.kinesisRecords, dir: join(walDir, 'kinesis'), fsync, logger: opts.logger, observer: opts.observe?.('kinesis_records') });
    traces = await createTraceSegmentPipeline(engine, { ...opts.traceSegments, dir: join(walDir, 'traces'), fsync, logger: opts.logger, observer: opts.observe?.('trace_segments') });
  } catch (e) {
    await logPipeline?.close().catch(() => undefined);
    await metricPoints?.close().catch(() => undefined);
    await kinesis?.ingest.close().catch(() => undefined);
    await engine.close();
    throw e;
  }
  const reads = readYourWrites(engine, [
    // A block's search filter is written with its rows (log-search-blocks.ts).
    { tables: /\blog_(events|search_blocks)\b/, pipeline: logPipeline },
    { tables: /\bmetric_(raw|tier_\w+|series)\b/, pipeline: metricPoints.ingest },
    { tables: /\bkinesis_records\b/, pipeline: kinesis.ingest },
    { tables: /\btrace_segments\b/, pipeline: traces },
  ]);
  const kinesisRecords = await KinesisRecordStore.open(engine, reads, kinesis);
  const traceSegments = new TraceSegmentStore(reads, traces);
  const logEvents = new LogEventStore(reads, logPipeline);
  const trailEvents = new TrailEventStore(engine);
  const metricReader = new MetricReader(reads, versions ? new MetricReadCache<BucketAggregate[]>(versions) : undefined, metricPoints.headReads(engine));
  let closing: Promise<void> | undefined;
  return {
    engine: reads,
    logEvents,
    trailEvents,
    metricPoints,
    metricReader,
    kinesisRecords,
    traceSegments,
    seriesVersions: versions,
    ingestStats: () => ({ log_events: logPipeline.stats(), metric_points: metricPoints.stats(), kinesis_records: kinesis.ingest.stats(), trace_segments: traces.stats() }),
    snapshot: cfg.kind === 'chdb'
      ? () => snapshotChdb(engine, cfg.path, [logPipeline, metricPoints.ingest, kinesis.ingest, traces])
      : undefined,
    close: () => (closing ??= (async () => {
      try {
        await Promise.all([logEvents.close(), trailEvents.close(), metricPoints.close(), kinesisRecords.close(), traceSegments.close()]);
      } finally {
        await engine.close();
      }
    })()),
  };
}

export { ChdbEngine, ClickHouseServerEngine, SqlEngineError } from './engine.ts';
export type { SqlEngine, InsertFormat, ChdbEngineOptions, ClickHouseServerEngineOptions } from './engine.ts';
export { LogEventStore } from './log-events.ts';
export { TrailEventStore } from './trail-events.ts';
export { KinesisRecordStore } from './kinesis-records.ts';
export type { KinesisRecordRow, SeqPosition, ReadShardQuery, ReadShardResult } from './kinesis-records.ts';
export type { TrailEventRow } from './trail-events.ts';
export { MetricPointStore } from './metric-points.ts';
export { MetricReader } from './metric-reader.ts';
export { MetricReadCache, SeriesVersions } from './metric-read-cache.ts';
export type { MetricPoint, MetricPointStoreOptions } from './metric-points.ts';
export type { LogEventRow, LogEventCursor, ReadStreamQuery } from './log-events.ts';
export { IngestOverloadedError, StoreClosedError } from './group-commit.ts';
export type { GroupCommitOptions } from './group-commit.ts';
export { migrate, MIGRATIONS } from './migrations.ts';
export { restoreChdb } from './backup.ts';
export type { Migration } from './migrations.ts';
