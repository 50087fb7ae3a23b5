/**
 * The telemetry store: log events, metric points (with their reader and read cache) and
 * CloudTrail's recorded events, each a `<kind>.ts` store over the same engine, group committer and migration list.
 */
import { ChdbEngine, ClickHouseServerEngine, type SqlEngine } from './engine.ts';
import { LogEventStore, type LogEventStoreOptions } from './log-events.ts';
import { migrate } from './migrations.ts';
import { TrailEventStore } from './trail-events.ts';
import { MetricPointStore, type MetricPointStoreOptions } from './metric-points.ts';
import { MetricReader, type BucketAggregate } from './metric-reader.ts';
import { MetricReadCache, SeriesVersions } from './metric-read-cache.ts';

export type TelemetryConfig =
  | { kind: 'chdb'; path: string; fsync?: boolean }
  | { kind: 'clickhouse'; url: string; username?: string; password?: string; database?: string };

export interface TelemetryOptions {
  logEvents?: LogEventStoreOptions;
  metricPoints?: MetricPointStoreOptions;
}

export interface Telemetry {
  engine: SqlEngine;
  logEvents: LogEventStore;
  /** CloudTrail's recorded events (the cloudtrail module writes them). */
  trailEvents: TrailEventStore;
  metricPoints: MetricPointStore;
  metricReader: MetricReader;
  /** Write versions of series and metrics, for caches of reads; undefined when other processes may write (ClickHouse server). */
  seriesVersions: SeriesVersions | undefined;
  /** Stops accepting appends, waits for pending inserts, then closes the engine. */
  close(): Promise<void>;
}

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
  const logEvents = new LogEventStore(engine, opts.logEvents);
  const trailEvents = new TrailEventStore(engine);
  // Cached metric reads need every write to pass through this process: embedded engine only.
  const versions = cfg.kind === 'chdb' ? new SeriesVersions() : undefined;
  const metricPoints = new MetricPointStore(engine, { ...opts.metricPoints, seriesVersions: versions });
  const metricReader = new MetricReader(engine, versions ? new MetricReadCache<BucketAggregate[]>(versions) : undefined);
  let closing: Promise<void> | undefined;
  return {
    engine,
    logEvents,
    trailEvents,
    metricPoints,
    metricReader,
    seriesVersions: versions,
    close: () => (closing ??= (async () => {
      try {
        await Promise.all([logEvents.close(), trailEvents.close(), metricPoints.close()]);
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
export type { TrailEventRow } from './trail-events.ts';
export { MetricPointStore } from './metric-points.ts';
export { MetricReader } from './metric-reader.ts';
export { MetricReadCache, SeriesVersions } from './metric-read-cache.ts';
export type { MetricPoint, MetricPointStoreOptions } from './metric-points.ts';
export type { LogEventRow, LogEventCursor, ReadStreamQuery, LogEventStoreOptions } from './log-events.ts';
export { IngestOverloadedError, StoreClosedError } from './group-commit.ts';
export type { GroupCommitOptions } from './group-commit.ts';
export { migrate, MIGRATIONS } from './migrations.ts';
export type { Migration } from './migrations.ts';
