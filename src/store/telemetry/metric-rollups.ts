/**
 * Metric storage tiers, as CloudWatch keeps them (its documented retention schedule):
 *
 * | table             | resolution | kept    | serves periods that are multiples of |
 * |-------------------|------------|---------|--------------------------------------|
 * | metric_raw        | as sent    | 3 h     | any (1 s and up)                     |
 * | metric_tier_1m    | 1 minute   | 15 days | 60 s                                 |
 * | metric_tier_5m    | 5 minutes  | 63 days | 300 s                                |
 * | metric_tier_1h    | 1 hour     | 455 days| 3600 s                               |
 *
 * metric_raw keeps each point with its series' names and dimensions (Metrics Insights groups and
 * filters on them); the tiers key rows by a 64-bit series id (SERIES_ID_SQL), which made the three
 * views about three times cheaper per point than keying them by names and a dimensions Map.
 *
 * Every insert into metric_raw feeds all three rollups through (cascading) materialized views in
 * the same INSERT, so a 200 from PutMetricData means every tier holds the point (no background roll-up job
 * that a crash could interrupt). A rollup row is the summary of its interval per series and unit:
 * sample count, sum, min, max, how many samples carry a distribution (`dist_count`, StatisticSets
 * may not) and the distribution as a percentile sketch (metric-sketch.ts), so percentiles keep
 * working on rolled-up data. AggregatingMergeTree merges rows of the same interval as parts merge;
 * readers aggregate anyway.
 *
 * Retention: TTLs drop expired rows physically (whole parts where possible); readers also cut at
 * the same ages (metric-reader.ts), so a point never outlives its tier in results even while a
 * merge is pending.
 *
 * metric_series lists every series with the time of its newest point and of its last publish:
 * ListMetrics (two weeks, RecentlyActive PT3H) and SEARCH read it instead of scanning points.
 * MetricPointStore writes its rows (a new series at once, a publishing one about once a minute).
 */
import { sketchKeySql } from './metric-sketch.ts';

export const RAW_TABLE = 'metric_raw';

export interface RollupTier {
  table: string;
  /** Interval of a row, ms. */
  resolutionMs: number;
  /** How long CloudWatch keeps this resolution, ms. */
  retentionMs: number;
  /** Rows summarising one plain value store NaN in min and max and an empty sketch (metric-minute-tier.ts). */
  elidesSingles?: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const RAW_RETENTION_MS = 3 * HOUR;

/** The tiers as migrations 0007–0012 created them (all AggregatingMergeTree); applied migrations keep these names. */
const SERIES_ID_TIERS: readonly RollupTier[] = [
  { table: 'metric_tier_1m', resolutionMs: 60_000, retentionMs: 15 * DAY },
  { table: 'metric_tier_5m', resolutionMs: 300_000, retentionMs: 63 * DAY },
  { table: 'metric_tier_1h', resolutionMs: HOUR, retentionMs: 455 * DAY },
];

/** The 1 min tier since 0021: a plain MergeTree whose one-value rows leave min, max and sketch to `sum` (metric-minute-tier.ts). */
export const MINUTE_TIER_TABLE = 'metric_tier_1m_v2';

/** The tiers the head writes and readers read, finest first. */
export const ROLLUP_TIERS: readonly RollupTier[] = [
  { ...SERIES_ID_TIERS[0]!, table: MINUTE_TIER_TABLE, elidesSingles: true },
  SERIES_ID_TIERS[1]!,
  SERIES_ID_TIERS[2]!,
];

/** The tiers as migration 0006 created them (keyed by the series' names and dimensions). */
const LEGACY_ROLLUP_TIERS: readonly RollupTier[] = [
  { table: 'metric_rollup_1m', resolutionMs: 60_000, retentionMs: 15 * DAY },
  { table: 'metric_rollup_5m', resolutionMs: 300_000, retentionMs: 63 * DAY },
  { table: 'metric_rollup_1h', resolutionMs: HOUR, retentionMs: 455 * DAY },
];

/**
 * A series' id in the rollup tiers: a 64-bit hash of its identity, computed from the columns of
 * metric_raw / metric_series. Explicit String casts make it equal to `seriesIdSql` over bound
 * String / Array(String) parameters (checked by a test). Two series colliding needs ~4·10⁹ series
 * for even odds; ListMetrics and Metrics Insights read names from metric_series / metric_raw.
 */
export const SERIES_ID_SQL =
  'cityHash64(toString(account), toString(region), toString(namespace), toString(metric_name), ' +
  'arrayMap(k -> toString(k), mapKeys(dimensions)), mapValues(dimensions))';

/** The same id from SQL expressions of type String (account … metric name) and Array(String) (sorted dimension names, their values). */
export function seriesIdSql(account: string, region: string, namespace: string, metricName: string, dimKeys: string, dimValues: string): string {
  return `cityHash64(${account}, ${region}, ${namespace}, ${metricName}, ${dimKeys}, ${dimValues})`;
}
/** ListMetrics shows metrics that received data in the past two weeks. */
export const SERIES_LISTED_MS = 14 * DAY;

const SERIES_KEY = `account LowCardinality(String),
        region LowCardinality(String),
        namespace LowCardinality(String),
        metric_name LowCardinality(String),
        dimensions Map(LowCardinality(String), String)`;

export const ttl = (ms: number): string => `TTL toDateTime(intDiv(ts, 1000)) + INTERVAL ${ms / 1000} SECOND`;

/**
 * The 1 min tier aggregates raw points (computing each value's sketch key once); the 5 min tier
 * aggregates the 1 min rows and the 1 h tier the 5 min rows — ClickHouse runs views on a view's
 * target table in the same INSERT, so the cascade is as atomic as one view.
 */
function legacyRollupStatements(t: RollupTier, partitionMs: number, source?: RollupTier): string[] {
  const from = source === undefined
    ? `sum(arraySum(counts)) AS dist_count,
        sumMap(arrayMap(v -> ${sketchKeySql('v')}, values), counts) AS sketch
      FROM ${RAW_TABLE}`
    : `sum(dist_count) AS dist_count, sumMap(sketch) AS sketch
      FROM ${source.table}`;
  return [
    `CREATE TABLE IF NOT EXISTS ${t.table} (
        ${SERIES_KEY},
        unit LowCardinality(String),
        ts Int64 CODEC(Delta, ZSTD(1)),
        sample_count SimpleAggregateFunction(sum, Float64),
        sum SimpleAggregateFunction(sum, Float64),
        min SimpleAggregateFunction(min, Float64),
        max SimpleAggregateFunction(max, Float64),
        dist_count SimpleAggregateFunction(sum, Float64),
        sketch SimpleAggregateFunction(sumMap, Tuple(Array(Int32), Array(Float64))) CODEC(ZSTD(1))
      ) ENGINE = AggregatingMergeTree
      PARTITION BY intDiv(ts, ${partitionMs})
      ORDER BY (account, region, namespace, metric_name, dimensions, unit, ts)
      ${ttl(t.retentionMs)}
      SETTINGS ttl_only_drop_parts = 1`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${t.table}_mv TO ${t.table} AS
      SELECT account, region, namespace, metric_name, dimensions, unit,
        intDiv(ts, ${t.resolutionMs}) * ${t.resolutionMs} AS ts,
        sum(sample_count) AS sample_count, sum(sum) AS sum, min(min) AS min, max(max) AS max,
        ${from}
      GROUP BY account, region, namespace, metric_name, dimensions, unit, ts`,
  ];
}

export const METRIC_ROLLUP_MIGRATION = {
  id: '0006_metric_tiers',
  statements: [
    // Raw points move to an hour-partitioned table: with a 3 h TTL and ttl_only_drop_parts, parts
    // must not mix hours or merged parts would never expire (metric_points used 30-day partitions).
    `CREATE TABLE IF NOT EXISTS ${RAW_TABLE} (
        ${SERIES_KEY},
        ts Int64 CODEC(Delta, ZSTD(1)),
        storage_resolution UInt8,
        unit LowCardinality(String),
        sample_count Float64 CODEC(Gorilla, ZSTD(1)),
        sum Float64 CODEC(Gorilla, ZSTD(1)),
        min Float64 CODEC(Gorilla, ZSTD(1)),
        max Float64 CODEC(Gorilla, ZSTD(1)),
        values Array(Float64) CODEC(ZSTD(1)),
        counts Array(Float64) CODEC(ZSTD(1))
      ) ENGINE = MergeTree
      PARTITION BY intDiv(ts, ${HOUR})
      ORDER BY (account, region, namespace, metric_name, dimensions, ts)
      ${ttl(RAW_RETENTION_MS)}
      SETTINGS ttl_only_drop_parts = 1`,
    ...legacyRollupStatements(LEGACY_ROLLUP_TIERS[0]!, DAY),
    ...legacyRollupStatements(LEGACY_ROLLUP_TIERS[1]!, 7 * DAY, LEGACY_ROLLUP_TIERS[0]),
    ...legacyRollupStatements(LEGACY_ROLLUP_TIERS[2]!, 30 * DAY, LEGACY_ROLLUP_TIERS[1]),
    `CREATE TABLE IF NOT EXISTS metric_series (
        ${SERIES_KEY},
        last_ts SimpleAggregateFunction(max, Int64),
        last_publish SimpleAggregateFunction(max, Int64)
      ) ENGINE = AggregatingMergeTree
      ORDER BY (account, region, namespace, metric_name, dimensions)
      TTL toDateTime(intDiv(last_publish, 1000)) + INTERVAL ${SERIES_LISTED_MS / 1000} SECOND`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS metric_series_mv TO metric_series AS
      SELECT account, region, namespace, metric_name, dimensions,
        max(ts) AS last_ts, toInt64(toUnixTimestamp64Milli(now64(3))) AS last_publish
      FROM ${RAW_TABLE}
      GROUP BY account, region, namespace, metric_name, dimensions`,
    // Points written before the tiers existed (metric filters, EMF) go through the views above.
    // Not idempotent if a crash hits between this and the migration record; the window is one
    // statement on a table that only metric filters and EMF had written to.
    `CREATE TABLE IF NOT EXISTS metric_points AS ${RAW_TABLE}`,
    `INSERT INTO ${RAW_TABLE} (account, region, namespace, metric_name, dimensions, ts, storage_resolution, unit,
        sample_count, sum, min, max, values, counts)
      SELECT account, region, namespace, metric_name, dimensions, ts, storage_resolution, unit,
        sample_count, sum, min, max, values, counts FROM metric_points`,
    `DROP TABLE IF EXISTS metric_points`,
  ],
};

const PARTITION_MS = [DAY, 7 * DAY, 30 * DAY] as const;

const TIER_AGGREGATES = `sample_count SimpleAggregateFunction(sum, Float64),
        sum SimpleAggregateFunction(sum, Float64),
        min SimpleAggregateFunction(min, Float64),
        max SimpleAggregateFunction(max, Float64),
        dist_count SimpleAggregateFunction(sum, Float64),
        sketch SimpleAggregateFunction(sumMap, Tuple(Array(Int32), Array(Float64))) CODEC(ZSTD(1))`;

/** The view feeding tier `i` (from metric_raw for the 1 min tier, from the finer tier otherwise). */
function tierView(i: number): string {
  const t = SERIES_ID_TIERS[i]!;
  const from = i === 0
    ? `${SERIES_ID_SQL} AS series, unit, intDiv(ts, ${t.resolutionMs}) * ${t.resolutionMs} AS ts,
        sum(sample_count) AS sample_count, sum(sum) AS sum, min(min) AS min, max(max) AS max,
        sum(arraySum(counts)) AS dist_count, sumMap(arrayMap(v -> ${sketchKeySql('v')}, values), counts) AS sketch
      FROM ${RAW_TABLE}`
    : `series, unit, intDiv(ts, ${t.resolutionMs}) * ${t.resolutionMs} AS ts,
        sum(sample_count) AS sample_count, sum(sum) AS sum, min(min) AS min, max(max) AS max,
        sum(dist_count) AS dist_count, sumMap(sketch) AS sketch
      FROM ${SERIES_ID_TIERS[i - 1]!.table}`;
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${t.table}_mv TO ${t.table} AS SELECT ${from} GROUP BY series, unit, ts`;
}

/**
 * 0007: the rollup tiers keyed by series id instead of the series' names and dimensions. Grouping
 * and sorting by (account, region, namespace, metric_name, dimensions Map, unit) cost each view
 * 6–8 µs of engine CPU per inserted point; by (series UInt64, unit) it is ~1.5 µs, so ingest
 * (which runs three views per point) spends about a third of the engine time it did.
 * metric_series loses its view too: MetricPointStore writes a series' row when it first sees the
 * series and then at most once a minute (the two-week and three-hour listing windows need no more).
 *
 * Re-runnable from the start after a crash: the new views are dropped before the copy, so the copy
 * never cascades, and the new tiers are emptied before it. The old tables stay until 0008.
 */
export const METRIC_SERIES_ID_MIGRATION = {
  id: '0007_metric_tiers_by_series_id',
  statements: [
    ...SERIES_ID_TIERS.map((t, i) => `CREATE TABLE IF NOT EXISTS ${t.table} (
        series UInt64,
        unit LowCardinality(String),
        ts Int64 CODEC(Delta, ZSTD(1)),
        ${TIER_AGGREGATES}
      ) ENGINE = AggregatingMergeTree
      PARTITION BY intDiv(ts, ${PARTITION_MS[i]})
      ORDER BY (series, unit, ts)
      ${ttl(t.retentionMs)}
      SETTINGS ttl_only_drop_parts = 1`),
    ...SERIES_ID_TIERS.map((t) => `DROP TABLE IF EXISTS ${t.table}_mv`),
    ...SERIES_ID_TIERS.map((t) => `TRUNCATE TABLE ${t.table}`),
    ...SERIES_ID_TIERS.map((t, i) => `INSERT INTO ${t.table} (series, unit, ts, sample_count, sum, min, max, dist_count, sketch)
      SELECT ${SERIES_ID_SQL}, unit, ts, sample_count, sum, min, max, dist_count, sketch FROM ${LEGACY_ROLLUP_TIERS[i]!.table}`),
    ...SERIES_ID_TIERS.map((_, i) => tierView(i)),
    ...LEGACY_ROLLUP_TIERS.map((t) => `DROP TABLE IF EXISTS ${t.table}_mv`),
    'DROP TABLE IF EXISTS metric_series_mv',
  ],
};

/** 0008: the tiers 0007 copied from. */
export const DROP_LEGACY_ROLLUPS_MIGRATION = {
  id: '0008_drop_legacy_metric_rollups',
  statements: LEGACY_ROLLUP_TIERS.map((t) => `DROP TABLE IF EXISTS ${t.table}`),
};

/** Every table the metric head wrote when 0012 ran. */
const HEAD_TABLES_0012: readonly string[] = [RAW_TABLE, ...SERIES_ID_TIERS.map((t) => t.table), 'metric_series'];

/**
 * Codecs of the tiers' columns, chosen on the peers workload (1,000 series × 1,440 one-minute
 * single values, bytes per sample of the 1 min tier after OPTIMIZE FINAL, /tmp scratch copy of
 * the column under each codec):
 *   value (sum/min/max): LZ4 (before) 4.10, ZSTD(1) 2.86, ZSTD(3) 2.89, ZSTD(9) 2.65,
 *                        Gorilla+ZSTD(1) 5.90, FPC+ZSTD(1) 5.40, Delta+ZSTD(1) 3.16;
 *   sketch keys: ZSTD(1) 1.52, ZSTD(3) 1.26, Delta+ZSTD(1) 1.56; sketch counts: ZSTD(1) 0.26, ZSTD(3) 0.01.
 * Gorilla/FPC lose on values with noise in every mantissa bit (what real gauges look like), so
 * plain ZSTD; series ids run in the sort key's order, so Delta turns each run into zeros.
 */
const TIER_CODECS = `MODIFY COLUMN series UInt64 CODEC(Delta, ZSTD(1)),
    MODIFY COLUMN sample_count SimpleAggregateFunction(sum, Float64) CODEC(ZSTD(1)),
    MODIFY COLUMN sum SimpleAggregateFunction(sum, Float64) CODEC(ZSTD(1)),
    MODIFY COLUMN min SimpleAggregateFunction(min, Float64) CODEC(ZSTD(1)),
    MODIFY COLUMN max SimpleAggregateFunction(max, Float64) CODEC(ZSTD(1)),
    MODIFY COLUMN dist_count SimpleAggregateFunction(sum, Float64) CODEC(ZSTD(1)),
    MODIFY COLUMN sketch SimpleAggregateFunction(sumMap, Tuple(Array(Int32), Array(Float64))) CODEC(ZSTD(3))`;

/** The same reasoning for the raw tier's values (it was Gorilla + ZSTD) and its dimension maps (LZ4). */
const RAW_CODECS = `MODIFY COLUMN dimensions Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    MODIFY COLUMN sum Float64 CODEC(ZSTD(1)),
    MODIFY COLUMN min Float64 CODEC(ZSTD(1)),
    MODIFY COLUMN max Float64 CODEC(ZSTD(1)),
    MODIFY COLUMN values Array(Float64) CODEC(ZSTD(3)),
    MODIFY COLUMN counts Array(Float64) CODEC(ZSTD(3))`;

/**
 * 0012: the metric head writes the tiers itself (issue 17), so the views feeding them go; every
 * table it writes keeps the last inserted blocks' tokens, so a flush retried (or replayed from the
 * WAL after a crash) with the same token is stored once — never a sample counted twice; and the
 * codecs above. Codec changes are metadata only: existing parts keep theirs until merged.
 *
 * The window counts blocks per table: a flush is one block per table (1 per ~100k–500k points),
 * so 1,000 covers far more than the one batch the pipeline can be retrying.
 */
export const METRIC_HEAD_MIGRATION = {
  id: '0012_metric_head_writes_tiers',
  statements: [
    ...SERIES_ID_TIERS.map((t) => `DROP VIEW IF EXISTS ${t.table}_mv`),
    ...HEAD_TABLES_0012.map((t) => `ALTER TABLE ${t} MODIFY SETTING non_replicated_deduplication_window = 1000`),
    ...SERIES_ID_TIERS.map((t) => `ALTER TABLE ${t.table} ${TIER_CODECS}`),
    `ALTER TABLE ${RAW_TABLE} ${RAW_CODECS}`,
  ],
};
