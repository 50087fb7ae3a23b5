import type { Migration } from '../../../store/meta/db.ts';

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
];
