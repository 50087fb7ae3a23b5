import { SUBSCRIPTIONS_SQL } from './subscriptions.ts';
import { OUTBOX_SQL } from './outbox.ts';
import { EXPORT_TASKS_MIGRATION } from './export-tasks.ts';
import { METRIC_FILTERS_SQL } from './metric-filters.ts';
import { ALARMS_SQL } from './alarms.ts';
import { DASHBOARDS_SQL } from './dashboards.ts';
import { SNS_SQL } from './sns.ts';
import { RESOURCE_POLICIES_SQL } from './resource-policies.ts';
import { TIMERS_SQL } from './timers.ts';
import { LEASES_SQL } from './leases.ts';
import { NODES_HOME_SQL, NODES_SQL } from './nodes.ts';
import type { Migration } from './db.ts';

export type { Migration } from './db.ts';

/** The core metadata schema (Logs, CloudWatch, SNS, the outbox), append-only. Newer services bring their own list (`env.migrate`). */

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
  {
    id: 2,
    name: 'logs insights: saved query definitions',
    sql: `
      CREATE TABLE query_definitions (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        query_string TEXT NOT NULL,
        log_group_names TEXT NOT NULL DEFAULT '[]',
        query_language TEXT NOT NULL DEFAULT 'CWLI',
        last_modified INTEGER NOT NULL,
        PRIMARY KEY (account, region, id)
      ) WITHOUT ROWID;
      CREATE INDEX query_definitions_by_name ON query_definitions (account, region, name, id);
    `,
  },
  { id: 3, name: EXPORT_TASKS_MIGRATION.name, sql: EXPORT_TASKS_MIGRATION.sql },
  {
    id: 4,
    name: 'logs insights: queries and their results',
    sql: `
      CREATE TABLE insights_queries (
        query_id TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        query_string TEXT NOT NULL,
        log_groups TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        duration_ms INTEGER,
        results TEXT,
        statistics TEXT,
        error TEXT
      );
      CREATE INDEX insights_queries_by_scope ON insights_queries (account, region, created_at);
    `,
  },
  { id: 5, name: 'logs: subscription filters and destinations', sql: SUBSCRIPTIONS_SQL },
  { id: 6, name: 'jobs: delivery outbox and dead letters', sql: OUTBOX_SQL },
  { id: 7, name: 'logs: metric filters', sql: METRIC_FILTERS_SQL },
  { id: 8, name: 'cloudwatch: dashboards', sql: DASHBOARDS_SQL },
  { id: 9, name: 'sns: topics and subscriptions', sql: SNS_SQL },
  { id: 10, name: 'cloudwatch: alarms and alarm history', sql: ALARMS_SQL },
  { id: 11, name: 'logs: resource policies', sql: RESOURCE_POLICIES_SQL },
  { id: 12, name: 'jobs: timers of scheduled rules and schedules', sql: TIMERS_SQL },
  { id: 13, name: 'jobs: leases of background work that runs on one node', sql: LEASES_SQL },
  { id: 14, name: 'jobs: node heartbeats (a node that stops beating is reported lost)', sql: NODES_SQL },
  { id: 15, name: 'jobs: the data directory of each node (a restarted node releases its predecessor\'s leases)', sql: NODES_HOME_SQL },
];
