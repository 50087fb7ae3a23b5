/**
 * A query (WITH, SELECT, set operations) → one ClickHouse SELECT whose output columns are aliased
 * c0…cN in order; their Athena names and types are returned beside it.
 */
import { fail, notSupported, type Node } from './errors.ts';
import { columnName, type CompiledQuery, ExprCompiler, type ExprEnv } from './expr.ts';
import { compileFrom, type FromContext } from './from.ts';
import type { Catalog } from './catalog.ts';
import { bind, Scope } from './scope.ts';
import { num } from './sql-text.ts';
import type { Lifted } from './subqueries.ts';
import { commonType, type Typed } from './types.ts';
import { orderSuffix } from './window.ts';

const MAX_QUERIES = 100;

export interface QueryContext {
  catalog: Catalog;
  ctes: Map<string, CompiledQuery>;
  aliases: { n: number };
  depth: { n: number };
  queries: { n: number };
  lifted: ReadonlyMap<string, Lifted>;
}

export function newContext(catalog: Catalog, lifted: ReadonlyMap<string, Lifted>): QueryContext {
  return { catalog, ctes: new Map(), aliases: { n: 0 }, depth: { n: 0 }, queries: { n: 0 }, lifted };
}

/** A query with its WITH clause and set operations. */
export function compileQuery(ast: Node, cx: QueryContext, outer?: Scope): CompiledQuery {
  if (ast?.type !== 'select') notSupported(ast, `${String(ast?.type ?? 'This').toUpperCase()} in a query`);
  if (++cx.queries.n > MAX_QUERIES) fail('NOT_SUPPORTED', ast, `The statement has more than ${MAX_QUERIES} queries and subqueries`);
  const local: QueryContext = { ...cx, ctes: new Map(cx.ctes) };
  for (const w of (ast.with ?? []) as Node[]) defineCte(w, local);
  const branches: Node[] = [];
  const ops: string[] = [];
  for (let s: Node = ast; s; s = s._next) {
    branches.push(s);
    if (s._next) ops.push(String(s.set_op ?? '').toUpperCase());
  }
  if (branches.length === 1) return compileSelect(ast, local, outer);
  return setOperation(branches, ops, local, outer);
}

function defineCte(w: Node, cx: QueryContext): void {
  const name = String(w.name?.value ?? w.name).toLowerCase();
  if (w.recursive) notSupported(w, 'WITH RECURSIVE');
  const q = compileQuery(w.stmt?.ast, cx);
  const renamed = (w.columns ?? []) as Node[];
  if (renamed.length > 0 && renamed.length !== q.columns.length) fail('SYNTAX_ERROR', w, `WITH column alias list has ${renamed.length} entries but ${name} has ${q.columns.length} columns`);
  const columns = renamed.length > 0 ? q.columns.map((c, i) => ({ ...c, name: columnName(renamed[i]) })) : q.columns;
  cx.ctes.set(name, { sql: q.sql, columns });
}

/**
 * UNION [ALL]: branches compile alone; an ORDER BY / LIMIT the grammar attaches to the last
 * branch applies, as in Trino, to the whole result.
 */
function setOperation(branches: Node[], ops: string[], cx: QueryContext, outer: Scope | undefined): CompiledQuery {
  const last = branches[branches.length - 1];
  const tail = { orderby: last.orderby, limit: last.limit, _limit: last._limit };
  const parts = branches.map((b, i) => compileSelect(i === branches.length - 1 ? { ...b, orderby: undefined, limit: undefined, _limit: undefined } : b, cx, outer));
  const width = parts[0]!.columns.length;
  if (parts.some((p) => p.columns.length !== width)) fail('TYPE_MISMATCH', last, `UNION query has different number of fields: ${parts.map((p) => p.columns.length).join(', ')}`);
  let sql = parts[0]!.sql;
  ops.forEach((op, i) => {
    if (op !== 'UNION' && op !== 'UNION ALL') notSupported(branches[i + 1], op || 'This set operation');
    sql += ` ${op === 'UNION' ? 'UNION DISTINCT' : 'UNION ALL'} ${parts[i + 1]!.sql}`;
  });
  const columns = parts[0]!.columns.map((c, i) => ({ name: c.name, type: commonType(parts.map((p) => p.columns[i]!.type)) }));
  const order = ((tail.orderby ?? []) as Node[]).map((o) => `${outputRef(o.expr, columns)}${orderSuffix(o)}`);
  const limit = limitSql(tail);
  if (order.length === 0 && !limit) return { sql, columns };
  const select = columns.map((_c, i) => `c${i}`).join(', ');
  return { sql: `SELECT ${select} FROM (${sql})${order.length ? ` ORDER BY ${order.join(', ')}` : ''}${limit}`, columns };
}

/** An ORDER BY item of a set operation: an ordinal or an output column name. */
function outputRef(node: Node, columns: { name: string }[]): string {
  if (node?.type === 'number') return `c${ordinal(node, columns.length) - 1}`;
  if (node?.type === 'column_ref' && !node.table) {
    const i = columns.findIndex((c) => c.name.toLowerCase() === columnName(node).toLowerCase());
    if (i >= 0) return `c${i}`;
  }
  return notSupported(node, 'ORDER BY of a UNION by anything but an output column or its position');
}

function ordinal(node: Node, count: number): number {
  const n = Number(node.value);
  if (!Number.isInteger(n) || n < 1 || n > count) fail('SYNTAX_ERROR', node, `Invalid ordinal ${String(node.value)}: must be between 1 and ${count}`);
  return n;
}

/** ` LIMIT n OFFSET m` from either order of the two clauses ('' when there is neither). */
function limitSql(s: Node): string {
  const values = (s.limit?.value ?? []) as Node[];
  let limit: Node | undefined;
  let offset: Node | undefined;
  if (s._limit) [offset, limit] = [values[0], s._limit.value?.[0]];
  else if (s.limit?.seperator === 'offset') [limit, offset] = values.length === 2 ? [values[0], values[1]] : [undefined, values[0]];
  else limit = values[0];
  const count = (n: Node | undefined, what: string): string | undefined => {
    if (n === undefined || (n.type === 'origin' && String(n.value).toLowerCase() === 'all')) return undefined;
    if (n.type !== 'number' || !/^\d+$/.test(String(n.value))) return fail('SYNTAX_ERROR', n, `${what} must be a non-negative integer`);
    return num(n.value);
  };
  const l = count(limit, 'LIMIT');
  const o = count(offset, 'OFFSET');
  if (l === undefined && o === undefined) return '';
  return ` LIMIT ${l ?? '18446744073709551615'}${o ? ` OFFSET ${o}` : ''}`;
}

interface Item { expr: Typed; name: string }

/** One SELECT … FROM … WHERE … GROUP BY … HAVING … ORDER BY … LIMIT. */
function compileSelect(sel: Node, cx: QueryContext, outer: Scope | undefined): CompiledQuery {
  for (const k of ['window', 'into'] as const) if (sel[k] && (k !== 'into' || sel.into?.position)) notSupported(sel, k === 'window' ? 'A WINDOW clause' : 'SELECT … INTO');
  const fromCx: FromContext = {
    catalog: cx.catalog, ctes: cx.ctes, depth: cx.depth, lifted: cx.lifted,
    nextAlias: () => `r${cx.aliases.n++}`,
    subquery: (ast, scope) => compileQuery(ast, cx, scope),
  };
  const { sql: from, scope } = sel.from?.length ? compileFrom(sel.from as Node[], fromCx, outer) : { sql: '', scope: new Scope(outer) };
  const env: ExprEnv = { scope, subquery: fromCx.subquery, clause: 'SELECT', depth: cx.depth, lifted: cx.lifted };
  const ex = new ExprCompiler(env);
  const items = selectItems(sel, ex, scope);
  // ClickHouse comparisons yield UInt8; toBool makes boolean columns read as true/false, as Athena shows them.
  const output = items.map((it, i) => `${it.expr.type === 'boolean' ? `toBool(${it.expr.sql})` : it.expr.sql} AS c${i}`);
  const parts = [`SELECT ${sel.distinct?.type === 'DISTINCT' ? 'DISTINCT ' : ''}${output.join(', ')}`];
  if (from) parts.push(`FROM ${from}`);
  if (sel.where) {
    env.clause = 'WHERE';
    parts.push(`WHERE ${ex.compile(sel.where).sql}`);
  }
  const groups = (sel.groupby?.columns ?? []) as Node[];
  if (groups.length > 0) {
    env.clause = 'GROUP BY';
    parts.push(`GROUP BY ${groups.map((g) => groupItem(g, items, ex, scope)).join(', ')}`);
  }
  if (sel.having) {
    env.clause = 'HAVING';
    parts.push(`HAVING ${ex.compile(sel.having).sql}`);
  }
  const orders = (sel.orderby ?? []) as Node[];
  if (orders.length > 0) {
    env.clause = 'ORDER BY';
    parts.push(`ORDER BY ${orders.map((o) => `${orderItem(o.expr, items, ex)}${orderSuffix(o)}`).join(', ')}`);
  }
  const limit = limitSql(sel);
  return { sql: parts.join(' ') + limit, columns: items.map((it) => ({ name: it.name, type: it.expr.type })) };
}

function selectItems(sel: Node, ex: ExprCompiler, scope: Scope): Item[] {
  const list = (sel.columns === '*' ? [{ expr: { type: 'column_ref', column: '*' } }] : sel.columns) as Node[];
  const items: Item[] = [];
  for (const c of list) {
    const e = c.expr;
    if (e?.type === 'column_ref' && columnName(e) === '*') {
      items.push(...star(e, scope));
      continue;
    }
    const expr = ex.compile(e);
    const alias = typeof c.as === 'string' ? c.as : c.as?.value;
    // Athena's names: the alias, else the column as the query spells it (Athena resolves names in
    // lower case but heads the column with the query's casing), else _col<position>.
    const bare = (e?.type === 'column_ref' && !e.array_index?.length) || e?.type === 'double_quote_string';
    const name = alias ?? (bare ? (e.type === 'double_quote_string' ? String(e.value) : columnName(e)) : `_col${items.length}`);
    items.push({ expr: { sql: expr.sql, type: expr.type }, name: String(name) });
  }
  if (items.length === 0) fail('SYNTAX_ERROR', sel, 'SELECT * over a relation without columns');
  return items;
}

function star(e: Node, scope: Scope): Item[] {
  const qualifier = typeof e.table === 'string' ? e.table : undefined;
  const rels = qualifier ? scope.relations.filter((r) => r.alias === qualifier.toLowerCase()) : scope.relations;
  if (qualifier && rels.length === 0) fail('TABLE_NOT_FOUND', e, `Table '${qualifier}' not found in FROM`);
  if (!qualifier && rels.length === 0) fail('SYNTAX_ERROR', e, 'SELECT * not allowed in queries without FROM clause');
  // Pseudo-columns ("$path" of external tables) are only there when named.
  return rels.flatMap((r) => r.columns.filter((col) => !col.hidden).map((col) => ({ expr: bind(r, col), name: col.name })));
}

/** GROUP BY: an ordinal means that select item; otherwise an expression over the FROM columns. */
function groupItem(g: Node, items: Item[], ex: ExprCompiler, scope: Scope): string {
  if (g?.type === 'number') return items[ordinal(g, items.length) - 1]!.expr.sql;
  if (g?.type === 'function' && ['ROLLUP', 'CUBE', 'GROUPING SETS'].includes(String(g.name?.name?.[0]?.value).toUpperCase())) {
    notSupported(g, String(g.name.name[0].value).toUpperCase());
  }
  if (g?.type === 'column_ref' && !g.table && !scope.find(columnName(g), undefined, g)) {
    // Not Trino (which rejects output aliases here), but a common habit; it means the same thing.
    const item = items.find((it) => it.name.toLowerCase() === columnName(g).toLowerCase());
    if (item) return item.expr.sql;
  }
  return ex.compile(g).sql;
}

/** ORDER BY: an ordinal or an output name means that output column; else an expression. */
function orderItem(node: Node, items: Item[], ex: ExprCompiler): string {
  if (node?.type === 'number') return `c${ordinal(node, items.length) - 1}`;
  if (node?.type === 'column_ref' && !node.table && !node.array_index?.length) {
    const i = items.findIndex((it) => it.name.toLowerCase() === columnName(node).toLowerCase());
    if (i >= 0) return `c${i}`;
  }
  return ex.compile(node).sql;
}
