/** Metadata schema, append-only: never edit a shipped migration, add a new one. */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'logs: groups and streams',
    sql: `
      CREATE TABLE log_groups (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        retention_days INTEGER,
        kms_key_id TEXT,
        log_group_class TEXT NOT NULL DEFAULT 'STANDARD',
        deletion_protection INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
      CREATE TABLE log_streams (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        log_group TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        first_event_ts INTEGER,
        last_event_ts INTEGER,
        last_ingestion_time INTEGER,
        stored_bytes INTEGER NOT NULL DEFAULT 0,
        upload_sequence INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account, region, log_group, name),
        FOREIGN KEY (account, region, log_group) REFERENCES log_groups (account, region, name) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX log_streams_by_last_event ON log_streams (account, region, log_group, last_event_ts);
    `,
  },
];
