/**
 * CloudTrail's recorded events (`trail_events`): management, data and Insights records, each the
 * record's JSON plus the columns event history (LookupEvents), trail delivery (by `seq`) and Lake
 * queries filter on. Written through the shared group committer by the CloudTrail recorder's
 * flusher, which has already made every record durable in its own log before the call was answered.
 */
import type { SqlEngine } from './engine.ts';
import { GroupCommitter } from './group-commit.ts';
import { jsonString, type PayloadWriter } from './payload.ts';

/** One row of `trail_events`. */
export interface TrailEventRow {
  account: string;
  region: string;
  /** Epoch ms. */
  eventTime: number;
  /** The recorder's sequence number (strictly increasing in durability order, across restarts). */
  seq: number;
  eventId: string;
  /** Management | Data | Insight. */
  eventCategory: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  /** LookupEvents' Username: the IAM user name, role session name or `root`. */
  username: string;
  accessKeyId: string;
  errorCode: string;
  resourceTypes: string[];
  resourceNames: string[];
  /** The CloudTrail record, JSON. */
  record: string;
}

export const TRAIL_EVENTS_TABLE = 'trail_events';

/** The columns of a stored record (`trail_events`, and Lake's `lake_events` after its store id). */
export const TRAIL_EVENT_COLUMNS = `
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
      record String CODEC(ZSTD(3))`;

export const TRAIL_EVENTS_MIGRATION = {
  id: '0009_trail_events',
  statements: [
    // Replaces audit_events (0002): CloudTrail records are built by the cloudtrail module now.
    'DROP TABLE IF EXISTS audit_events',
    // ORDER BY: LookupEvents reads one account and region, newest first, over a time range, with at
    // most one attribute filter; the key serves the scope and the range. Trail delivery reads by
    // seq within an account (seq ≈ time order, so the same granules). Kept 90 days like CloudTrail's
    // event history; parts are dropped whole once all their rows expired.
    `CREATE TABLE IF NOT EXISTS trail_events (${TRAIL_EVENT_COLUMNS}
    ) ENGINE = MergeTree
    PARTITION BY intDiv(event_time, 604800000)
    ORDER BY (account, region, event_time, seq)
    TTL toDateTime(intDiv(event_time, 1000)) + INTERVAL 90 DAY
    SETTINGS ttl_only_drop_parts = 1`,
  ],
} as const;

const COLUMNS = [
  'account', 'region', 'event_time', 'seq', 'event_id', 'event_category', 'event_source', 'event_name', 'read_only',
  'username', 'access_key_id', 'error_code', 'resource_types', 'resource_names', 'record',
] as const;

export class TrailEventStore {
  private readonly committer: GroupCommitter<TrailEventRow>;

  constructor(readonly engine: SqlEngine) {
    this.committer = new GroupCommitter<TrailEventRow>(
      (payload) => engine.insert(TRAIL_EVENTS_TABLE, COLUMNS, payload, 'JSONCompactEachRow'), encodeRows, { maxQueuedBytes: 64 * 1024 * 1024 },
    );
  }

  append(rows: TrailEventRow[]): Promise<void> {
    return this.committer.append(rows);
  }

  /** Which of these event ids are stored already (a replayed log segment skips them). */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.engine.query<{ event_id: string }>(
      `SELECT event_id FROM ${TRAIL_EVENTS_TABLE} WHERE event_id IN {ids:Array(String)}`, { ids },
    );
    return new Set(rows.map((r) => r.event_id));
  }

  /** The highest stored seq (0 when empty): the recorder continues above it after a restart. */
  async maxSeq(): Promise<number> {
    const [row] = await this.engine.query<{ m: string | number }>(`SELECT max(seq) AS m FROM ${TRAIL_EVENTS_TABLE}`);
    return Number(row?.m ?? 0);
  }

  close(): Promise<void> {
    return this.committer.close();
  }
}

function encodeRows(rows: readonly TrailEventRow[], out: PayloadWriter): void {
  const s = (v: string) => jsonString(v.toWellFormed());
  const arr = (v: readonly string[]) => `[${v.map(s).join(',')}]`;
  for (const r of rows) {
    out.write(
      `[${s(r.account)},${s(r.region)},${Math.trunc(r.eventTime)},${Math.trunc(r.seq)},${s(r.eventId)},${s(r.eventCategory)},` +
        `${s(r.eventSource)},${s(r.eventName)},${r.readOnly ? 1 : 0},${s(r.username)},${s(r.accessKeyId)},${s(r.errorCode)},` +
        `${arr(r.resourceTypes)},${arr(r.resourceNames)},${s(r.record)}]\n`,
    );
  }
}
