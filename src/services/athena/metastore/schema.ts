/** The metastore's SQLite tables (Athena module migration 2). */
import type { Migration } from '../../../store/meta/db.ts';

export const METASTORE_MIGRATION: Migration = {
  id: 2,
  name: 'athena: metastore (databases, external tables and views, partitions)',
  sql: `
    CREATE TABLE athena_databases (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      name TEXT NOT NULL,
      -- DatabaseRecord minus the name (JSON).
      definition TEXT NOT NULL,
      PRIMARY KEY (account, region, name)
    ) WITHOUT ROWID;
    CREATE TABLE athena_tables (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      database_name TEXT NOT NULL,
      name TEXT NOT NULL,
      -- TableRecord (JSON).
      definition TEXT NOT NULL,
      PRIMARY KEY (account, region, database_name, name)
    ) WITHOUT ROWID;
    CREATE TABLE athena_partitions (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      database_name TEXT NOT NULL,
      table_name TEXT NOT NULL,
      -- The partition's values in partition-key order (JSON array): its identity.
      part_values TEXT NOT NULL,
      location TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (account, region, database_name, table_name, part_values)
    ) WITHOUT ROWID;
  `,
};
