/**
 * Both metadata engines for tests: SQLite in memory always; PostgreSQL on a throwaway cluster
 * when it is installed (CI installs it, and there a missing PostgreSQL fails instead of skipping).
 */
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../migrations.ts';
import { migrateCore } from './migrate.ts';
import { PostgresMetaDb } from './postgres-db.ts';
import { SqliteMetaDb } from './sqlite-db.ts';
import { throwawayPostgres } from './throwaway-postgres.ts';
import type { Dialect, MetaDb } from './types.ts';

export interface MetaEngine {
  name: Dialect;
  /** A fresh, empty store with the core schema. */
  open(): Promise<MetaDb>;
}

export async function metaEngines(): Promise<MetaEngine[]> {
  const engines: MetaEngine[] = [{
    name: 'sqlite',
    async open() {
      const db = new SqliteMetaDb(new Database(':memory:'));
      await migrateCore(db, MIGRATIONS);
      return db;
    },
  }];
  const pg = await throwawayPostgres();
  if (!pg && process.env.CI) throw new Error('PostgreSQL is not installed (apt-get install postgresql): CI runs the metadata tests on both engines');
  if (pg) {
    engines.push({
      name: 'postgres',
      async open() {
        const db = PostgresMetaDb.open(await pg.createDatabase());
        await migrateCore(db, MIGRATIONS);
        return db;
      },
    });
  }
  return engines;
}
