/** Firehose's metadata tables (module migrations: ids count within `firehose`). Times are epoch ms. */
import type { Migration } from '../../store/meta/db.ts';

export const FIREHOSE_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'firehose: delivery streams, buffered records, Kinesis shard checkpoints',
    sql: `
      CREATE TABLE firehose_streams (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        version INTEGER NOT NULL,
        destination TEXT NOT NULL,
        source TEXT,
        encryption TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (account, region, name)
      );
      -- A record stays here from the PutRecord(Batch) answer until its destination accepted it.
      CREATE TABLE firehose_records (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_id INTEGER NOT NULL,
        arrived_at INTEGER NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX firehose_records_stream ON firehose_records (stream_id, seq);
      -- How far each source shard was read (records up to sequence_number are in firehose_records).
      CREATE TABLE firehose_shard_checkpoints (
        stream_id INTEGER NOT NULL,
        shard_id TEXT NOT NULL,
        sequence_number TEXT,
        closed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (stream_id, shard_id)
      ) WITHOUT ROWID;
    `,
  },
];
