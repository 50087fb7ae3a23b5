/**
 * EventBridge's metadata tables (module migrations, ids counted within `events`). Each feature
 * brings its own step: 1 buses/rules/targets, 2 archives and replays, 3 connections and API
 * destinations. Scheduled rules keep their next fire time in the kernel's timers table.
 */
import type { Migration } from '../../store/meta/db.ts';
import { ARCHIVES_MIGRATION } from './archives/schema.ts';
import { CONNECTIONS_MIGRATION } from './connections/schema.ts';

const CORE: Migration = {
  id: 1,
  name: 'events: buses, rules and targets',
  sql: `
    CREATE TABLE events_buses (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      modified_at INTEGER NOT NULL,
      description TEXT,
      kms_key_id TEXT,
      dead_letter_arn TEXT,
      policy TEXT,
      tags TEXT NOT NULL DEFAULT '{}',
      PRIMARY KEY (account, region, name)
    ) WITHOUT ROWID;
    CREATE TABLE events_rules (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      bus TEXT NOT NULL,
      name TEXT NOT NULL,
      event_pattern TEXT,
      schedule TEXT,
      state TEXT NOT NULL,
      description TEXT,
      role_arn TEXT,
      managed_by TEXT,
      created_at INTEGER NOT NULL,
      tags TEXT NOT NULL DEFAULT '{}',
      PRIMARY KEY (account, region, bus, name),
      FOREIGN KEY (account, region, bus) REFERENCES events_buses (account, region, name) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE events_targets (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      bus TEXT NOT NULL,
      rule TEXT NOT NULL,
      id TEXT NOT NULL,
      arn TEXT NOT NULL,
      spec TEXT NOT NULL,
      PRIMARY KEY (account, region, bus, rule, id),
      FOREIGN KEY (account, region, bus, rule) REFERENCES events_rules (account, region, bus, name) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX events_targets_by_arn ON events_targets (account, region, arn);
    -- Bumped on every rule or target change of a scope: PutEvents rebuilds its rule index when it moves
    -- (also when another Osprey process made the change).
    CREATE TABLE events_generation (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      gen INTEGER NOT NULL,
      PRIMARY KEY (account, region)
    ) WITHOUT ROWID;
  `,
};

export const EVENTS_MIGRATIONS: Migration[] = [CORE, ARCHIVES_MIGRATION, CONNECTIONS_MIGRATION];
