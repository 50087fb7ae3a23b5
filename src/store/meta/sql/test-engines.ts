/**
 * Both metadata engines for tests: SQLite in a temp file always; PostgreSQL on a throwaway cluster
 * when it is installed (CI installs it, and there a missing PostgreSQL fails instead of skipping).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../sqlite.ts';
import { MIGRATIONS } from '../migrations.ts';
import { migrateCore, migrateModuleOn } from './migrate.ts';
import { PostgresMetaDb } from './postgres-db.ts';
import { SqliteMetaDb } from './sqlite-db.ts';
import { throwawayPostgres } from './throwaway-postgres.ts';
import type { Migration } from '../db.ts';
import type { Dialect, MetaDb } from './types.ts';

export interface MetaEngine {
  name: Dialect;
  /** A fresh, empty store with the core schema, plus a module's own when given. */
  open(module?: { name: string; migrations: readonly Migration[] }): Promise<MetaDb>;
  /** A second handle on the same store (another process or node), e.g. after `db.close()`. */
  reopen(db: MetaDb): Promise<MetaDb>;
}

const locations = new WeakMap<MetaDb, string>();
const remember = (db: MetaDb, at: string): MetaDb => (locations.set(db, at), db);

function tempSqlitePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-meta-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'meta.sqlite');
}

async function migrated(db: MetaDb, module: { name: string; migrations: readonly Migration[] } | undefined): Promise<MetaDb> {
  await migrateCore(db, MIGRATIONS);
  if (module) await migrateModuleOn(db, module.name, module.migrations);
  return db;
}

export async function metaEngines(): Promise<MetaEngine[]> {
  const engines: MetaEngine[] = [{
    name: 'sqlite',
    open: (module) => {
      const path = tempSqlitePath();
      return migrated(remember(new SqliteMetaDb(openSqlite(path, { fsync: false })), path), module);
    },
    reopen: async (db) => remember(new SqliteMetaDb(openSqlite(locations.get(db)!, { fsync: false })), locations.get(db)!),
  }];
  const pg = await throwawayPostgres();
  if (!pg && process.env.CI) throw new Error('PostgreSQL is not installed (apt-get install postgresql): CI runs the metadata tests on both engines');
  if (pg) {
    engines.push({
      name: 'postgres',
      open: async (module) => {
        const url = await pg.createDatabase();
        return migrated(remember(PostgresMetaDb.open(url), url), module);
      },
      reopen: async (db) => remember(PostgresMetaDb.open(locations.get(db)!), locations.get(db)!),
    });
  }
  return engines;
}
