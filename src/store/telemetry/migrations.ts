/**
 * Versioned telemetry schema. Each migration runs once per database and is recorded in
 * `schema_migrations`. ClickHouse DDL is not transactional, so a crash can leave a migration half
 * applied and unrecorded: every statement is therefore idempotent on its own (IF NOT EXISTS …) and
 * a rerun completes it. Two processes migrating at once both run the same idempotent statements,
 * and the duplicate record is collapsed by ReplacingMergeTree.
 *
 * Append new migrations at the end (metric_points, spans, audit_events…); never edit an applied one.
 */
import type { SqlEngine } from './engine.ts';
import { TRAIL_EVENTS_MIGRATION } from './trail-events.ts';
import { LAKE_EVENTS_MIGRATION } from './lake-events.ts';
import { LOG_EVENTS_DEDUP_MIGRATION } from './log-head.ts';
import { LOG_SEARCH_BLOCKS_MIGRATION } from './log-search-blocks.ts';
import { DROP_OLD_MINUTE_TIER_MIGRATION, MINUTE_TIER_MIGRATION } from './metric-minute-tier.ts';
import { TRACE_GRAPH_MIGRATION, TRACE_SEGMENTS_DEDUP_MIGRATION, TRACE_SEGMENTS_MIGRATION } from './trace-segments.ts';
import { INSIGHT_CONTRIBUTIONS_MIGRATION } from './insight-contributions.ts';
import { ALARM_HISTORY_MIGRATION } from './alarm-history.ts';
import { KINESIS_RECORDS_MIGRATION } from './kinesis-records.ts';
import { TRACE_GRAPH_SETTLED_MIGRATION } from './trace-graph-settle.ts';
import {
  DROP_LEGACY_ROLLUPS_MIGRATION, METRIC_HEAD_MIGRATION, METRIC_ROLLUP_MIGRATION, METRIC_SERIES_ID_MIGRATION,
} from './metric-rollups.ts';

export interface Migration {
  /** Sortable and unique: `NNNN_what`. */
  id: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_log_events',
    statements: [
      // ORDER BY: every read is for one stream in (ts, seq) order (GetLogEvents) or one group in
      // time order (FilterLogEvents, Insights); the key serves the first exactly and the second
      // through the group prefix.
      //
      // PARTITION BY week of event time (intDiv on the ms timestamp, monotonic so partition pruning
      // works). Why a week: merges never cross partitions, so every partition costs at least one
      // part forever, and retention is per group and changeable (applies to existing data), so
      // whole partitions can rarely be dropped while any group keeps its data longer — expiry is a
      // lightweight DELETE of one group's old rows whatever the partitioning. Daily partitions
      // would leave ~365 parts per year of retention on a small deployment; monthly ones would
      // make every retention DELETE touch large, still-active parts. PutLogEvents only accepts
      // events from the last 14 days (and 2 h ahead), so ingest touches at most 3 partitions.
      //
      // Codecs: ts/seq/ingest_ts are nearly sorted within a part, so Delta shrinks them ~8×;
      // ZSTD(1) on messages compressed ~1.6× better than LZ4 here at no measurable ingest cost.
      //
      // No skip index on message: FilterLogEvents and Insights search with position()/match(),
      // which a tokenbf_v1 index does not serve (measured: a rare whole-word term scanned at the
      // same 1.6 GB/s with and without it), while it cost ~10 % of insert throughput.
      `CREATE TABLE IF NOT EXISTS log_events (
        account LowCardinality(String),
        region LowCardinality(String),
        log_group String,
        log_stream String,
        ts Int64 CODEC(Delta, ZSTD(1)),
        ingest_ts Int64 CODEC(Delta, ZSTD(1)),
        seq UInt64 CODEC(Delta, ZSTD(1)),
        message String CODEC(ZSTD(1))
      ) ENGINE = MergeTree
      PARTITION BY intDiv(ts, 604800000)
      ORDER BY (account, region, log_group, log_stream, ts, seq)`,
    ],
  },
  {
    id: '0002_audit_events',
    statements: [
      // One row per API call. Read by time range and account (CloudTrail LookupEvents); kept 90
      // days like CloudTrail's event history.
      `CREATE TABLE IF NOT EXISTS audit_events (
        event_time Int64 CODEC(Delta, ZSTD(1)),
        request_id String,
        service LowCardinality(String),
        event_source LowCardinality(String),
        operation LowCardinality(String),
        account LowCardinality(String),
        region LowCardinality(String),
        principal_arn String,
        access_key_id String,
        source_ip String,
        user_agent String CODEC(ZSTD(1)),
        status UInt16,
        error_code LowCardinality(String),
        error_message String CODEC(ZSTD(1)),
        duration_ms UInt32
      ) ENGINE = MergeTree
      PARTITION BY intDiv(event_time, 604800000)
      ORDER BY (account, region, event_time)
      TTL toDateTime(intDiv(event_time, 1000)) + INTERVAL 90 DAY`,
    ],
  },
  {
    id: '0003_log_events_key_id',
    statements: [
      // Encrypted groups (AssociateKmsKey) store sealed messages; key_id names the KMS key ARN they
      // are sealed under ('' = plain text), so reads know which rows to open and with which key.
      `ALTER TABLE log_events ADD COLUMN IF NOT EXISTS key_id LowCardinality(String) DEFAULT '' AFTER message`,
    ],
  },
  {
    id: '0004_metric_points',
    statements: [
      // One row per published observation (metric-points.ts): its summary statistics plus the
      // value distribution (values/counts; empty for a StatisticSet). Raw points only; 0006 moved
      // them to metric_raw and added the 1 min → 5 min → 1 h rollups (metric-rollups.ts).
      //
      // ORDER BY: every read is one series (namespace, metric, exact dimension set) over a time
      // range, or all series of one metric; dimensions are stored sorted by name, so a Map compares
      // as the series identity and sorts series together.
      //
      // PARTITION BY 30 days of point time: PutMetricData accepts points up to 2 weeks old, so
      // ingest touches at most 2 partitions, and ~16 partitions cover the retention.
      // TTL: CloudWatch keeps hour-resolution data 455 days, its longest retention; whole parts are
      // dropped once all their rows expired (ttl_only_drop_parts), never rewritten. The shorter
      // retentions of finer resolutions came with the rollups (0006).
      // Codecs: ts is nearly sorted within a series (Delta); Gorilla suits slowly varying doubles.
      `CREATE TABLE IF NOT EXISTS metric_points (
        account LowCardinality(String),
        region LowCardinality(String),
        namespace LowCardinality(String),
        metric_name LowCardinality(String),
        dimensions Map(LowCardinality(String), String),
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
      PARTITION BY intDiv(ts, 2592000000)
      ORDER BY (account, region, namespace, metric_name, dimensions, ts)
      TTL toDateTime(intDiv(ts, 1000)) + INTERVAL 455 DAY
      SETTINGS ttl_only_drop_parts = 1`,
    ],
  },
  {
    id: '0005_log_events_message_bytes',
    statements: [
      // Byte size of each message, computed at insert: Insights' bytesScanned statistic and
      // storedBytes recounts read this small column instead of every message.
      `ALTER TABLE log_events ADD COLUMN IF NOT EXISTS message_bytes UInt32 MATERIALIZED length(message) AFTER key_id`,
    ],
  },
  METRIC_ROLLUP_MIGRATION,
  METRIC_SERIES_ID_MIGRATION,
  DROP_LEGACY_ROLLUPS_MIGRATION,
  TRAIL_EVENTS_MIGRATION,
  LAKE_EVENTS_MIGRATION,
  LOG_EVENTS_DEDUP_MIGRATION,
  METRIC_HEAD_MIGRATION,
  TRACE_SEGMENTS_MIGRATION,
  TRACE_GRAPH_MIGRATION,
  INSIGHT_CONTRIBUTIONS_MIGRATION,
  ALARM_HISTORY_MIGRATION,
  KINESIS_RECORDS_MIGRATION,
  TRACE_GRAPH_SETTLED_MIGRATION,
  TRACE_SEGMENTS_DEDUP_MIGRATION,
  LOG_SEARCH_BLOCKS_MIGRATION,
  MINUTE_TIER_MIGRATION,
  DROP_OLD_MINUTE_TIER_MIGRATION,
];

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id String,
  applied_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree ORDER BY id`;

/** Applies the migrations not yet recorded, in order. Returns the ids it applied. */
export async function migrate(engine: SqlEngine, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new Error('duplicate migration id');
  await engine.exec(CREATE_MIGRATIONS_TABLE);
  const done = new Set((await engine.query<{ id: string }>('SELECT DISTINCT id FROM schema_migrations')).map((r) => r.id));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    for (const sql of m.statements) await engine.exec(sql);
    await engine.exec('INSERT INTO schema_migrations (id, applied_at) VALUES ({id:String}, now64(3))', { id: m.id });
    applied.push(m.id);
  }
  return applied;
}
