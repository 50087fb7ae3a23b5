/**
 * Athena SQL (Trino dialect) → ClickHouse SQL, a pure module. `translate` parses one statement,
 * refuses everything but a query, and compiles the query through a whitelist: tables resolve only
 * through the caller's Catalog (whose subqueries are already scoped to one account and region),
 * columns only to those tables' columns, functions only to the tables in functions.ts.
 *
 * The generated SQL aliases its output columns c0…cN in order; `columns` holds Athena's names for
 * them. It must run with `settings` (JOIN semantics: unmatched outer-join columns are NULL).
 */
import type { Catalog } from './catalog.ts';
import { AthenaSqlError } from './errors.ts';
import { parseStatement } from './parse.ts';
import { compileQuery, newContext } from './query.ts';

export { AthenaSqlError, type AthenaErrorType } from './errors.ts';
export type { Catalog, TableSource } from './catalog.ts';
export { OSPREY_DATABASE, ospreyCatalog, ospreyTables } from './osprey-tables.ts';

export interface Translated {
  sql: string;
  /** Output column names as Athena names them (aliases, the column's name, `_col<N>` for unnamed expressions). */
  columns: string[];
  /** Athena types of the output columns (varchar, bigint, double, boolean, timestamp(3), date, array(…), map(…), json; `unknown` when not inferred). */
  columnTypes: string[];
  statementType: 'DML';
  /** ClickHouse settings the SQL relies on; pass them with the query (or use `withSettings`). */
  settings: Record<string, number>;
}

/** Outer joins in Trino fill unmatched columns with NULL; ClickHouse fills defaults unless told. */
export const REQUIRED_SETTINGS: Readonly<Record<string, number>> = Object.freeze({ join_use_nulls: 1 });

export function translate(statement: string, catalog: Catalog): Translated {
  if (typeof statement !== 'string' || statement.trim() === '') throw new AthenaSqlError('SYNTAX_ERROR', 'line 1:1: mismatched input \'<EOF>\'. Expecting: \'SELECT\', \'WITH\'');
  const { ast, lifted } = parseStatement(statement);
  const q = compileQuery(ast, newContext(catalog, lifted));
  return {
    sql: q.sql,
    columns: q.columns.map((c) => c.name),
    columnTypes: q.columns.map((c) => (c.type === 'null' ? 'unknown' : c.type)),
    statementType: 'DML',
    settings: { ...REQUIRED_SETTINGS },
  };
}

/** The translated SQL with its settings appended (`… SETTINGS join_use_nulls = 1`), for running as is. */
export function withSettings(t: Translated): string {
  const set = Object.entries(t.settings).map(([k, v]) => `${k} = ${Number(v)}`).join(', ');
  return set ? `${t.sql} SETTINGS ${set}` : t.sql;
}
