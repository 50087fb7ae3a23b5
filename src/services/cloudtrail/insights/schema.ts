import type { Migration } from '../../../store/meta/db.ts';

/**
 * Insights tables, applied as module `cloudtrail-insights` (ids count within it).
 *
 * One row per Insights event in progress, keyed by its series: the frozen baseline it is measured
 * against, its shared event id and what the End record needs (start, intervals, total). `pending`
 * holds a Start or End record written here before it is appended to the recorder and cleared after:
 * a crash in between is repaired by appending it again if the store does not have its event id, so
 * a restart neither repeats a Start nor forgets an End. An ended row is deleted once its End is stored.
 */
export const INSIGHTS_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'cloudtrail insights: open Insights events',
    sql: `
      CREATE TABLE IF NOT EXISTS cloudtrail_insights_open (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        category TEXT NOT NULL,
        insight_type TEXT NOT NULL,
        event_source TEXT NOT NULL,
        event_name TEXT NOT NULL,
        error_code TEXT NOT NULL,
        shared_event_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'ended')),
        started_at INTEGER NOT NULL,
        last_interval INTEGER NOT NULL,
        intervals INTEGER NOT NULL,
        total INTEGER NOT NULL,
        baseline_mean REAL NOT NULL,
        baseline_stddev REAL NOT NULL,
        baseline_intervals INTEGER NOT NULL,
        baseline_start INTEGER NOT NULL,
        pending TEXT,
        PRIMARY KEY (account, region, category, insight_type, event_source, event_name, error_code)
      ) WITHOUT ROWID;
    `,
  },
];
