import { TRAIL_EVENT_COLUMNS } from './trail-events.ts';

/** CloudTrail Lake's archive of event data stores kept longer than the 90 days of trail_events. */
export const LAKE_EVENTS_MIGRATION = {
  id: '0010_lake_events',
  statements: [
    // One store's rows are contiguous (store_id first) and in time order, as its queries read them.
    `CREATE TABLE IF NOT EXISTS lake_events (
      store_id LowCardinality(String),${TRAIL_EVENT_COLUMNS}
    ) ENGINE = MergeTree
    ORDER BY (store_id, event_time, seq)`,
  ],
} as const;
