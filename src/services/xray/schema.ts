/** X-Ray's metadata tables (module migrations: ids count within `xray`). */
import type { Migration } from '../../store/meta/db.ts';

export const XRAY_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'xray: groups and sampling rules',
    sql: `
      CREATE TABLE xray_groups (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL,
        filter_expression TEXT,
        insights_enabled INTEGER NOT NULL DEFAULT 0,
        notifications_enabled INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
      CREATE TABLE xray_sampling_rules (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL,
        rule TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 2,
    name: 'xray: tags on groups and sampling rules; encryption config',
    sql: `
      CREATE TABLE xray_encryption (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        key_id TEXT,
        PRIMARY KEY (account, region)
      ) WITHOUT ROWID;
      CREATE TABLE xray_tags (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        arn TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (account, region, arn, key)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 3,
    name: 'xray: resource policies, trace retrievals, telemetry records, sampling statistics',
    sql: `
      CREATE TABLE xray_resource_policies (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        document TEXT NOT NULL,
        revision INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
      CREATE TABLE xray_trace_retrievals (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        token TEXT NOT NULL,
        trace_ids TEXT NOT NULL,
        start_time REAL NOT NULL,
        end_time REAL NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account, region, token)
      ) WITHOUT ROWID;
      CREATE TABLE xray_telemetry_records (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        source TEXT NOT NULL,
        at INTEGER NOT NULL,
        received INTEGER NOT NULL,
        sent INTEGER NOT NULL,
        spillover INTEGER NOT NULL,
        rejected INTEGER NOT NULL,
        backend_errors TEXT NOT NULL
      );
      CREATE INDEX xray_telemetry_records_at ON xray_telemetry_records (account, region, at);
      CREATE TABLE xray_sampling_statistics (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        rule TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        requests INTEGER NOT NULL,
        borrowed INTEGER NOT NULL,
        sampled INTEGER NOT NULL,
        PRIMARY KEY (account, region, rule, window_start)
      ) WITHOUT ROWID;
    `,
  },
];
