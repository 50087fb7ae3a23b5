/**
 * A CloudTrail Lake statement → one ClickHouse SELECT over a store's rows. The statement is parsed
 * by node-sql-parser (Trino grammar, Lake's engine), must be one SELECT FROM one event data store,
 * and compiles through a whitelist (expr.ts). The store's rows come in as `source`, a subquery the
 * caller builds with the account, region, selectors and retention fixed: nothing in the user's
 * statement can widen it. Output columns are aliased c0…cN; their Lake names are returned apart.
 */
import pkg from 'node-sql-parser';
import { STAR_FIELDS } from './fields.ts';
import { ExprCompiler, UnsupportedQuery, columnPath, type Node } from './expr.ts';
import { substituteStoreRefs } from './refs.ts';

export { UnsupportedQuery };

/** A parsed statement: its SELECT and the event data store it reads (ID or ARN as written). */
export interface ParsedLakeQuery {
  select: Node;
  store: string;
  alias: string;
}

export interface CompiledLakeQuery {
  /** The query; ends without a LIMIT when the statement had none (the runner caps it). */
  sql: string;
  /** The WHERE condition alone ('1' when none), for EventsMatched. */
  where: string;
  /** The store's rows (the caller's subquery), for the scan statistics. */
  source: string;
  columns: string[];
}

const parser = new pkg.Parser();

export function parseLakeQuery(statement: string): ParsedLakeQuery {
  const { sql, refs } = substituteStoreRefs(statement);
  let ast: Node;
  try {
    ast = parser.astify(sql, { database: 'trino' });
  } catch (e) {
    throw new UnsupportedQuery(`the statement could not be parsed: ${firstLine(e)}`);
  }
  const statements: Node[] = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1) throw new UnsupportedQuery('more than one statement (only one SELECT is allowed)');
  const select = statements[0];
  if (select?.type !== 'select') throw new UnsupportedQuery(`${String(select?.type).toUpperCase()} statements (only SELECT is allowed)`);
  if (select.with) throw new UnsupportedQuery('WITH clauses');
  if (select._next || select.set_op) throw new UnsupportedQuery('UNION, INTERSECT and EXCEPT');
  if (select.window) throw new UnsupportedQuery('WINDOW clauses');
  if (select.into?.position) throw new UnsupportedQuery('SELECT … INTO');
  const from: Node[] = select.from ?? [];
  if (from.length !== 1) throw new UnsupportedQuery(from.length === 0 ? 'a SELECT without FROM <event data store ID>' : 'joins and more than one table in FROM');
  const [table] = from;
  const store = typeof table.table === 'string' && !table.db && !table.join && !table.expr ? refs.get(table.table) : undefined;
  if (!store) throw new UnsupportedQuery(`FROM ${describeTable(table)}: FROM must name one event data store by its ID or ARN`);
  return { select, store, alias: table.as ?? table.table };
}

export function compileLakeQuery(q: ParsedLakeQuery, source: string, maxRows: number): CompiledLakeQuery {
  const aliases = new Set([q.alias, 'eds_0']);
  const ex = new ExprCompiler(aliases);
  const { items, columns } = selectItems(q.select, ex, aliases);
  const where = q.select.where ? ex.compile(q.select.where) : '1';
  const parts = [`SELECT ${q.select.distinct?.type === 'DISTINCT' ? 'DISTINCT ' : ''}${items.map((s, i) => `${s} AS c${i}`).join(', ')}`, `FROM ${source} AS s`];
  if (q.select.where) parts.push(`WHERE ${where}`);
  const groups: Node[] = q.select.groupby?.columns ?? [];
  if (groups.length > 0) parts.push(`GROUP BY ${groups.map((g) => outputRef(g, items, columns, ex)).join(', ')}`);
  if (q.select.having) parts.push(`HAVING ${ex.compile(q.select.having)}`);
  const orders: Node[] = q.select.orderby ?? [];
  if (orders.length > 0) {
    parts.push(`ORDER BY ${orders.map((o) => `${outputRef(o.expr, items, columns, ex, 'c')} ${o.type === 'DESC' ? 'DESC' : 'ASC'}`).join(', ')}`);
  }
  parts.push(`LIMIT ${Math.min(limitOf(q.select), maxRows)}`);
  return { sql: parts.join(' '), where, source, columns };
}

/** The SELECT list: ClickHouse expressions and the names Lake gives the columns. */
function selectItems(select: Node, ex: ExprCompiler, aliases: ReadonlySet<string>): { items: string[]; columns: string[] } {
  const items: string[] = [];
  const columns: string[] = [];
  const list: Node[] = select.columns === '*' ? [{ expr: { type: 'column_ref', table: null, column: '*' } }] : select.columns;
  for (const c of list) {
    const e = c.expr;
    if (e?.type === 'column_ref' && columnPath(e, aliases) === '*') {
      for (const f of STAR_FIELDS) {
        items.push(ex.compile({ type: 'column_ref', table: null, column: f }));
        columns.push(f);
      }
      continue;
    }
    items.push(ex.compile(e));
    // Trino's names: the alias, else a column's own name (last path segment), else _col<position>.
    const alias = typeof c.as === 'string' ? c.as : c.as?.value;
    columns.push(alias ?? (e?.type === 'column_ref' ? columnPath(e, aliases).split('.').pop()! : `_col${columns.length}`));
  }
  return { items, columns };
}

/**
 * A GROUP BY / ORDER BY item: an ordinal (`ORDER BY 2`) or an output column's name means that
 * output column; anything else is an expression over the store's rows.
 */
function outputRef(node: Node, items: string[], columns: string[], ex: ExprCompiler, mode: 'expr' | 'c' = 'expr'): string {
  const pick = (i: number) => (mode === 'c' ? `c${i}` : items[i]!);
  if (node?.type === 'number') {
    const n = Number(node.value);
    if (!Number.isInteger(n) || n < 1 || n > items.length) throw new UnsupportedQuery(`position ${String(node.value)} is not in the select list (1–${items.length})`);
    return pick(n - 1);
  }
  if (node?.type === 'column_ref' && node.table == null) {
    const name = columnPath(node, new Set());
    const i = columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
    if (i >= 0) return pick(i);
  }
  return ex.compile(node);
}

function limitOf(select: Node): number {
  const values: Node[] = select.limit?.value ?? [];
  if (values.length === 0) return Number.MAX_SAFE_INTEGER;
  if (values.length > 1 || select.limit.seperator) throw new UnsupportedQuery('LIMIT with an offset');
  const n = Number(values[0]?.value);
  if (values[0]?.type !== 'number' || !Number.isInteger(n) || n < 0) throw new UnsupportedQuery('LIMIT other than a whole number');
  return n;
}

function describeTable(t: Node): string {
  if (t?.expr) return 'a subquery';
  if (t?.type === 'expr' || t?.join) return 'a join';
  return [t?.db, t?.table].filter((x) => typeof x === 'string').join('.') || 'this source';
}

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 300);
