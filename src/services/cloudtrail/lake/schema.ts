import type { Migration } from '../../../store/meta/db.ts';
import { scopedCursorsSql } from '../../../store/meta/scoped-cursors.ts';

/** Archive cursors per (store, telemetry scope), migration 102. */
export const ARCHIVE_CURSORS = 'cloudtrail_lake_archive_cursors';

/** Lake's tables: ids 100–199. */
export const LAKE_MIGRATIONS: Migration[] = [
  {
    id: 100,
    name: 'cloudtrail lake: event data stores and queries',
    // A store's settings are one JSON document, read and written whole. A query keeps its result
    // (already aggregated and capped, see queries.ts) as one JSON document: GetQueryResults pages it.
    sql: `
      CREATE TABLE cloudtrail_lake_stores (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        config TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}'
      ) WITHOUT ROWID;
      CREATE INDEX cloudtrail_lake_stores_scope ON cloudtrail_lake_stores (account, region);
      CREATE TABLE cloudtrail_lake_queries (
        id TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        store_arn TEXT NOT NULL,
        statement TEXT NOT NULL,
        status TEXT NOT NULL,
        created INTEGER NOT NULL,
        stats TEXT NOT NULL DEFAULT '{}',
        error TEXT,
        result TEXT
      ) WITHOUT ROWID;
      CREATE INDEX cloudtrail_lake_queries_store ON cloudtrail_lake_queries (store_arn, created);
    `,
  },
  {
    id: 101,
    name: 'cloudtrail lake: archive cursors',
    // Apart from the store's config: the archive job advances it while handlers rewrite the config.
    sql: 'CREATE TABLE cloudtrail_lake_cursors (arn TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;',
  },
  {
    id: 102,
    name: 'cloudtrail lake: archive cursors per telemetry store, the node running each query',
    // Each node with its own embedded telemetry archives the records it stored, whose sequence
    // numbers are its own: one cursor per (store, scope); the old table is read for stores created
    // before (repo.ts). A query runs on the node that started it: when that node is gone, the query
    // can never finish, and the Lake job of a live node fails it.
    sql: `${scopedCursorsSql(ARCHIVE_CURSORS)}
      ALTER TABLE cloudtrail_lake_queries ADD COLUMN node TEXT;`,
  },
];
