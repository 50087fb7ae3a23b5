/**
 * CloudWatch alarm history in ClickHouse (`alarm_history`): a copy of the metadata store's history
 * items (DescribeAlarmHistory's source of truth stays SQLite), made by the cloudwatch module's
 * copy job so that SQL (Athena's `osprey.alarm_history`) can read them. `id` is the SQLite row id:
 * the job copies by id, in batches, and inserts each batch with a deduplication token naming its
 * metadata store and id range, so a batch inserted again after a crash is stored once.
 *
 * Kept 30 days, as CloudWatch keeps alarm history: daily partitions, dropped whole once all their
 * rows expired.
 */
import type { SqlEngine } from './engine.ts';
import { jsonString, PayloadWriter } from './payload.ts';

export const ALARM_HISTORY_TABLE = 'alarm_history';
export const ALARM_HISTORY_RETENTION_DAYS = 30;

export const ALARM_HISTORY_MIGRATION = {
  id: '0016_alarm_history',
  statements: [
    // ORDER BY: every read is one account and Region over a time range (Athena's scope), id breaking
    // ties in the order the items were written. The deduplication window counts inserted blocks (a
    // batch touches one block per day it spans): 1000 covers a retried batch many times over.
    `CREATE TABLE IF NOT EXISTS ${ALARM_HISTORY_TABLE} (
      account LowCardinality(String),
      region LowCardinality(String),
      id UInt64,
      alarm_name String,
      alarm_type LowCardinality(String),
      ts DateTime64(3, 'UTC'),
      item_type LowCardinality(String),
      summary String CODEC(ZSTD(1)),
      data String CODEC(ZSTD(1))
    ) ENGINE = MergeTree
    PARTITION BY toYYYYMMDD(ts)
    ORDER BY (account, region, ts, id)
    TTL toDateTime(ts) + INTERVAL ${ALARM_HISTORY_RETENTION_DAYS} DAY
    SETTINGS ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000`,
  ],
} as const;

/** One history item as stored. */
export interface AlarmHistoryRow {
  id: number;
  account: string;
  region: string;
  alarmName: string;
  alarmType: string;
  /** Epoch ms. */
  timestamp: number;
  itemType: string;
  summary: string;
  data: string;
}

const COLUMNS = ['account', 'region', 'id', 'alarm_name', 'alarm_type', 'ts', 'item_type', 'summary', 'data'] as const;

/**
 * Inserts `rows` as one insert with `dedupToken` (ClickHouse's insert_deduplication_token): the
 * same token again is dropped while it is in the table's deduplication window, whatever its rows.
 */
export async function insertAlarmHistory(engine: Pick<SqlEngine, 'insert'>, rows: readonly AlarmHistoryRow[], dedupToken: string): Promise<void> {
  if (rows.length === 0) return;
  const out = new PayloadWriter();
  for (const r of rows) {
    // An integer DateTime64(3) value is read as milliseconds since the epoch (UTC).
    out.write(`[${jsonString(r.account)},${jsonString(r.region)},${Math.trunc(r.id)},${jsonString(r.alarmName)},${jsonString(r.alarmType)},` +
      `${Math.trunc(r.timestamp)},${jsonString(r.itemType)},${jsonString(r.summary)},${jsonString(r.data)}]\n`);
  }
  await engine.insert(ALARM_HISTORY_TABLE, COLUMNS, out.bytes(), 'JSONCompactEachRow', { dedupToken });
}
