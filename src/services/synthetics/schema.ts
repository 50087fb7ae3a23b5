/** CloudWatch Synthetics' metadata tables (module migrations: ids count within `synthetics`). */
import type { Migration } from '../../store/meta/db.ts';

export const SYNTHETICS_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'synthetics: canaries, runs, groups',
    sql: `
      CREATE TABLE synthetics_canaries (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        id TEXT NOT NULL,
        -- The whole configuration as the API describes it (JSON of CanaryConfig), code apart.
        config TEXT NOT NULL,
        -- The code zip as uploaded (ZipFile, or the object read from S3Bucket/S3Key), and its digest.
        code BLOB NOT NULL,
        code_sha TEXT NOT NULL,
        state TEXT NOT NULL,
        state_reason TEXT,
        state_reason_code TEXT,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        last_started INTEGER,
        last_stopped INTEGER,
        tags TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
      CREATE TABLE synthetics_runs (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        canary_id TEXT NOT NULL,
        id TEXT NOT NULL,
        scheduled_run_id TEXT NOT NULL,
        retry_attempt INTEGER NOT NULL,
        state TEXT NOT NULL,
        state_reason TEXT,
        state_reason_code TEXT,
        started INTEGER NOT NULL,
        completed INTEGER,
        artifact_location TEXT NOT NULL,
        -- Where the run's artifacts are kept locally (console, visual-monitoring base).
        local_dir TEXT NOT NULL,
        -- Step results and request counts of the finished run (JSON), for the console and metrics.
        result TEXT,
        PRIMARY KEY (account, region, canary_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX synthetics_runs_by_time ON synthetics_runs (account, region, canary_id, started);
      CREATE TABLE synthetics_groups (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (account, region, id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX synthetics_groups_by_name ON synthetics_groups (account, region, name COLLATE NOCASE);
      CREATE TABLE synthetics_group_resources (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        group_id TEXT NOT NULL,
        resource_arn TEXT NOT NULL,
        PRIMARY KEY (account, region, group_id, resource_arn),
        FOREIGN KEY (account, region, group_id) REFERENCES synthetics_groups (account, region, id) ON DELETE CASCADE
      ) WITHOUT ROWID;
    `,
  },
];
