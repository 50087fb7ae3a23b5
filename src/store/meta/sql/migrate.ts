/**
 * Schema migrations on either engine, from the same lists (MIGRATIONS, each module's own): the
 * SQLite text is the source of truth and PostgreSQL gets it translated. Each step runs once, in
 * its own transaction with its bookkeeping row; on PostgreSQL an advisory lock makes nodes that
 * start together apply each step once (the second finds it applied and skips it).
 */
import type { Migration } from '../db.ts';
import type { MetaDb, Sql } from './types.ts';

/** Any fixed number: the advisory lock all Osprey nodes take while migrating. */
const MIGRATION_LOCK = 4566;

async function lockForMigration(tx: Sql): Promise<void> {
  if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?) AS locked', [MIGRATION_LOCK]);
}

/** IF NOT EXISTS is not safe against a concurrent creator on PostgreSQL; the lock is. */
async function createLedger(db: MetaDb, ddl: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockForMigration(tx);
    await tx.exec(ddl);
  });
}

export async function migrateCore(db: MetaDb, migrations: readonly Migration[]): Promise<void> {
  await createLedger(db, 'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of migrations) {
    await db.transaction(async (tx) => {
      await lockForMigration(tx);
      if (await tx.get('SELECT id FROM schema_migrations WHERE id = ?', [m.id])) return;
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)', [m.id, m.name, Date.now()]);
    });
  }
}

/** A service module's own list: ids count from 1 within the module, recorded per module. */
export async function migrateModuleOn(db: MetaDb, module: string, migrations: readonly Migration[]): Promise<void> {
  await createLedger(db, 'CREATE TABLE IF NOT EXISTS module_migrations (module TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, id))');
  for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
    await db.transaction(async (tx) => {
      await lockForMigration(tx);
      if (await tx.get('SELECT id FROM module_migrations WHERE module = ? AND id = ?', [module, m.id])) return;
      await tx.exec(m.sql);
      await tx.run('INSERT INTO module_migrations (module, id, name, applied_at) VALUES (?, ?, ?, ?)', [module, m.id, m.name, Date.now()]);
    });
  }
}
