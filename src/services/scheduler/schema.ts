/** EventBridge Scheduler's metadata tables (module migrations: ids count within `scheduler`). */
import type { Migration } from '../../store/meta/db.ts';

export const SCHEDULER_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'scheduler: schedule groups, schedules, client tokens',
    sql: `
      CREATE TABLE scheduler_groups (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
      CREATE TABLE scheduler_schedules (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        group_name TEXT NOT NULL,
        name TEXT NOT NULL,
        expression TEXT NOT NULL,
        timezone TEXT,
        start_date INTEGER,
        end_date INTEGER,
        description TEXT,
        state TEXT NOT NULL,
        kms_key_arn TEXT,
        target TEXT NOT NULL,
        flexible_window TEXT NOT NULL,
        action_after_completion TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        revision TEXT NOT NULL,
        PRIMARY KEY (account, region, group_name, name),
        FOREIGN KEY (account, region, group_name) REFERENCES scheduler_groups (account, region, name) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX scheduler_schedules_by_name ON scheduler_schedules (account, region, name);
      -- ClientToken idempotency: a retried call (same token) answers as the first one did.
      CREATE TABLE scheduler_client_tokens (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        token TEXT NOT NULL,
        operation TEXT NOT NULL,
        resource TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (account, region, token)
      ) WITHOUT ROWID;
      -- Bumped on every schedule change, so the runner's sync skips work when nothing changed.
      CREATE TABLE scheduler_generation (id INTEGER PRIMARY KEY CHECK (id = 1), gen INTEGER NOT NULL);
      INSERT INTO scheduler_generation (id, gen) VALUES (1, 0);
    `,
  },
];
