/** CloudTrail Lake's archive of event data stores kept longer than the 90 days of trail_events. */
export const LAKE_EVENTS_MIGRATION = {
  id: '0010_lake_events',
  statements: [
    // One store's rows are contiguous (store_id first) and in time order, as its queries read them.
    `CREATE TABLE IF NOT EXISTS lake_events (
      store_id LowCardinality(String),
      account LowCardinality(String),
      region LowCardinality(String),
      event_time Int64 CODEC(Delta, ZSTD(1)),
      seq UInt64 CODEC(Delta, ZSTD(1)),
      event_id String,
      event_category LowCardinality(String),
      event_source LowCardinality(String),
      event_name LowCardinality(String),
      read_only UInt8,
      username String,
      access_key_id String,
      error_code LowCardinality(String),
      resource_types Array(LowCardinality(String)),
      resource_names Array(String),
      record String CODEC(ZSTD(3))
    ) ENGINE = MergeTree
    ORDER BY (store_id, event_time, seq)`,
  ],
} as const;
