/** Test support: metadata stores with every core migration (and optionally a module's) applied. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Migration } from './db.ts';
import { MIGRATIONS } from './migrations.ts';
import { migrateCore, migrateModuleOn } from './sql/migrate.ts';
import { SqliteMetaDb } from './sql/sqlite-db.ts';
import type { MetaDb } from './sql/types.ts';
import { openSqlite } from './sqlite.ts';

export { metaEngines, type MetaEngine } from './sql/test-engines.ts';

/** A fresh, migrated, in-memory SQLite metadata store (plus a module's own schema). */
export async function openTestMetaDb(module?: { name: string; migrations: readonly Migration[] }): Promise<MetaDb> {
  const db = new SqliteMetaDb(new Database(':memory:'));
  await migrateCore(db, MIGRATIONS);
  if (module) await migrateModuleOn(db, module.name, module.migrations);
  return db;
}

/** A fresh, migrated SQLite metadata store in a temp directory, closed and removed after the test. */
export async function tempMetaDb(t: { after(fn: () => Promise<void> | void): void }, prefix = 'osprey-meta-'): Promise<{ db: MetaDb; dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'meta.sqlite');
  const db = new SqliteMetaDb(openSqlite(path, { fsync: false }));
  await migrateCore(db, MIGRATIONS);
  t.after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, dir, path };
}
