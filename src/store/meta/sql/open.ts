/**
 * Opens the configured metadata store with the core schema applied: SQLite in the data directory
 * (the default) or a PostgreSQL database (`metadata.url`).
 */
import { join } from 'node:path';
import { MIGRATIONS } from '../migrations.ts';
import { openSqlite } from '../sqlite.ts';
import { migrateCore } from './migrate.ts';
import { PostgresMetaDb } from './postgres-db.ts';
import { SqliteMetaDb } from './sqlite-db.ts';
import type { MetaDb } from './types.ts';

export async function openMetaDb(opts: { url: string; dataDir: string; fsync: boolean }): Promise<MetaDb> {
  const db = opts.url ? PostgresMetaDb.open(opts.url) : new SqliteMetaDb(openSqlite(join(opts.dataDir, 'meta.sqlite'), { fsync: opts.fsync }));
  await migrateCore(db, MIGRATIONS);
  return db;
}
