/**
 * What the translator reads tables from: the caller's catalog. The caller builds each table's
 * subquery already restricted to its account and region; the translator only ever wraps it.
 */

export interface TableSource {
  /** A ClickHouse subquery (already restricted to the caller's account and region by the caller) that yields exactly `columns`. */
  sql: string;
  columns: {
    name: string;
    type: string /* Athena type: varchar, bigint, double, boolean, timestamp(3), array(varchar), map(varchar,varchar), json, row(…) */;
    /** A pseudo-column (external tables' "$path"): left out of SELECT *. */
    hidden?: boolean;
  }[];
}

export interface Catalog {
  /** The table `db.name` (names lower-cased), or undefined. */
  table(db: string, name: string): TableSource | undefined;
  /** The database unqualified names resolve in (QueryExecutionContext.Database, default 'osprey'). */
  defaultDatabase: string;
}
