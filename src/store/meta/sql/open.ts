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
  if (!opts.url) {
    const db = new SqliteMetaDb(openSqlite(join(opts.dataDir, 'meta.sqlite'), { fsync: opts.fsync }));
    await migrateCore(db, MIGRATIONS);
    return db;
  }
  const db = PostgresMetaDb.open(opts.url);
  try {
    await migrateCore(db, MIGRATIONS);
  } catch (err) {
    await db.close().catch(() => {});
    throw new Error(`cannot use the PostgreSQL database at ${redact(opts.url)}: ${(err as Error).message}`, { cause: err });
  }
  return db;
}

/** The URL without its password, for the one line an operator reads. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparsable URL';
  }
}
