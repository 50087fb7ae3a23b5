/** Kinesis's metadata tables (module migrations: ids count within `kinesis`). Times are epoch milliseconds. */
import type { Migration } from '../../store/meta/db.ts';

export const KINESIS_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'kinesis: streams, shards, consumers, iterator key',
    sql: `
      -- stream_id is AWS's StreamId: unique per creation, and the key of the stream's records in
      -- the telemetry store (a stream recreated under the same name starts empty).
      CREATE TABLE kinesis_streams (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        stream_id TEXT NOT NULL UNIQUE,
        mode TEXT NOT NULL,
        retention_hours INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        encryption_type TEXT NOT NULL DEFAULT 'NONE',
        key_id TEXT,
        shard_metrics TEXT NOT NULL DEFAULT '[]',
        tags TEXT NOT NULL DEFAULT '{}',
        max_record_kib INTEGER NOT NULL DEFAULT 1024,
        next_shard INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account, region, name)
      );
      -- hash_start / hash_end: 32 hex digits (string order = numeric order); *_seq: wire sequence numbers.
      CREATE TABLE kinesis_shards (
        stream INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        parent INTEGER,
        adjacent_parent INTEGER,
        hash_start TEXT NOT NULL,
        hash_end TEXT NOT NULL,
        starting_seq TEXT NOT NULL,
        ending_seq TEXT,
        created_at INTEGER NOT NULL,
        closed_at INTEGER,
        PRIMARY KEY (stream, idx)
      ) WITHOUT ROWID;
      CREATE TABLE kinesis_consumers (
        stream INTEGER NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (stream, name)
      ) WITHOUT ROWID;
      CREATE TABLE kinesis_iterator_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        key BLOB NOT NULL
      );
    `,
  },
];
