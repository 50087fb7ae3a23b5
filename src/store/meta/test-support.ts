/** Test support: a fresh in-memory metadata database, migrated, with the metric_filters table. */
import { openSqlite, type Db } from './sqlite.ts';
import { METRIC_FILTERS_SQL } from './metric-filters.ts';

/** Works before and after the metric_filters migration is wired into migrations.ts. */
export function openTestMetaDb(): Db {
  const db = openSqlite(':memory:', { fsync: false });
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metric_filters'").get();
  if (has === undefined) db.exec(METRIC_FILTERS_SQL);
  return db;
}
