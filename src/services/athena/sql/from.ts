/**
 * The FROM clause: catalog tables, CTEs, subqueries, joins and UNNEST. Each relation becomes a
 * parenthesised ClickHouse subquery under a generated alias; a table name resolves to a CTE of
 * the statement first and then to the catalog — never to an engine table, so `log_events` or
 * `system.tables` written by the user name nothing ClickHouse would read.
 */
import { fail, notSupported, type Node } from './errors.ts';
import { type CompiledQuery, ExprCompiler, type ExprEnv } from './expr.ts';
import type { Catalog, TableSource } from './catalog.ts';
import { type Column, type Relation, Scope } from './scope.ts';
import { ident } from './sql-text.ts';
import type { Lifted } from './subqueries.ts';
import { elementType } from './types.ts';

export interface FromContext {
  catalog: Catalog;
  /** CTEs visible here (lower-cased name → compiled query). */
  ctes: ReadonlyMap<string, CompiledQuery>;
  /** Generates relation aliases unique in the statement. */
  nextAlias(): string;
  subquery(ast: Node, outer: Scope): CompiledQuery;
  depth: { n: number };
  lifted: ReadonlyMap<string, Lifted>;
}

const CATALOG = 'awsdatacatalog';
const JOINS: Partial<Record<string, string>> = {
  'INNER JOIN': 'INNER JOIN', JOIN: 'INNER JOIN', 'LEFT JOIN': 'LEFT JOIN', 'LEFT OUTER JOIN': 'LEFT JOIN',
  'RIGHT JOIN': 'RIGHT JOIN', 'RIGHT OUTER JOIN': 'RIGHT JOIN', 'FULL JOIN': 'FULL JOIN', 'FULL OUTER JOIN': 'FULL JOIN',
  'CROSS JOIN': 'CROSS JOIN',
};

/** Compiles FROM into ClickHouse text and the scope its columns resolve in. */
export function compileFrom(items: Node[], cx: FromContext, outer: Scope | undefined): { sql: string; scope: Scope } {
  const scope = new Scope(outer);
  const parts: string[] = [];
  // The grammar reads `t CROSS JOIN u` as `t AS CROSS` + `JOIN u`: CROSS is reserved in Trino, so
  // that alias always means a cross join with the next item.
  const crossBefore = new Set<number>();
  items.forEach((item, i) => {
    const next = items[i + 1];
    const crossNext = typeof item.as === 'string' && item.as.toUpperCase() === 'CROSS' && next && !next.on && !next.using;
    if (crossNext) crossBefore.add(i + 1);
    const joinWord = i === 0 ? '' : crossBefore.has(i) || !item.join ? 'CROSS JOIN' : JOINS[String(item.join).toUpperCase()];
    if (joinWord === undefined) notSupported(item, String(item.join));
    const it = crossNext ? { ...item, as: undefined } : item;
    if (it.tablesample) notSupported(it, 'TABLESAMPLE');
    if (isUnnest(it)) {
      parts.push(unnest(it, joinWord ?? '', scope, cx));
      return;
    }
    const rel = relation(it, cx, scope);
    const body = `${rel.sql} AS ${ident(rel.rel.chAlias)}`;
    scope.add(rel.rel);
    if (i === 0) { parts.push(body); return; }
    parts.push(`${joinWord} ${body}${joinCondition(it, joinWord!, rel.rel, scope, cx)}`);
  });
  return { sql: parts.join(' '), scope };
}

const isUnnest = (item: Node) => item.type === 'expr' && item.expr?.type === 'function' &&
  String(item.expr.name?.name?.[0]?.value ?? '').toUpperCase() === 'UNNEST' && item.expr.name.name.length === 1;

/** `AS t(a, b)` arrives as the alias text `t(a, b)`: the name and the column names. */
function aliasParts(as: unknown): { name?: string; columns?: string[] } {
  if (typeof as !== 'string') return {};
  const m = /^\s*("?)([^"(]+)\1\s*(?:\((.*)\))?\s*$/.exec(as);
  if (!m) return { name: as };
  const columns = m[3]?.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return { name: m[2]!.trim(), columns };
}

function relation(item: Node, cx: FromContext, scope: Scope): { sql: string; rel: Relation } {
  const { name: alias, columns: renamed } = aliasParts(item.as);
  let sql: string;
  let columns: Column[];
  let defaultAlias: string;
  if (item.expr?.ast) {
    const q = cx.subquery(item.expr.ast, scope.outer ?? new Scope());
    sql = `(${q.sql})`;
    columns = q.columns.map((c, i) => ({ name: c.name, type: c.type, chName: `c${i}` }));
    defaultAlias = '';
  } else if (item.type === 'expr' && item.expr?.type === 'function') {
    const fn = String(item.expr.name?.name?.map((p: Node) => p.value).join('.') ?? '');
    return fail('PERMISSION_DENIED', item, `Table function '${fn}' is not allowed; query the tables of the catalog`);
  } else if (typeof item.table === 'string') {
    const t = table(item, cx);
    sql = t.sql;
    columns = t.columns;
    defaultAlias = item.table.toLowerCase();
  } else {
    return notSupported(item, 'This FROM item');
  }
  if (renamed) {
    const visible = columns.filter((c) => !c.hidden);
    if (renamed.length !== visible.length) fail('SYNTAX_ERROR', item, `Column alias list has ${renamed.length} entries but relation has ${visible.length} columns`);
    columns = [...visible.map((c, i) => ({ ...c, name: renamed[i]! })), ...columns.filter((c) => c.hidden)];
  }
  return { sql, rel: { alias: (alias ?? defaultAlias).toLowerCase(), chAlias: cx.nextAlias(), columns } };
}

/** A named table: a CTE of the statement, else `[awsdatacatalog.][database.]table` of the catalog. */
function table(item: Node, cx: FromContext): { sql: string; columns: Column[] } {
  const name = String(item.table).toLowerCase();
  const [catalogName, database] = item.schema ? [String(item.db).toLowerCase(), String(item.schema).toLowerCase()]
    : item.db ? [CATALOG, String(item.db).toLowerCase()] : [CATALOG, undefined];
  const cte = !item.db && !item.schema ? cx.ctes.get(name) : undefined;
  if (cte) return { sql: `(${cte.sql})`, columns: cte.columns.map((c, i) => ({ name: c.name, type: c.type, chName: `c${i}` })) };
  const db = database ?? cx.catalog.defaultDatabase.toLowerCase();
  const full = `${catalogName}.${db}.${name}`;
  if (db === 'system' || catalogName === 'system') fail('PERMISSION_DENIED', item, `Access denied: ${full} is not queryable`);
  if (db === 'information_schema') notSupported(item, `Table '${full}'`);
  const source: TableSource | undefined = catalogName === CATALOG ? cx.catalog.table(db, name) : undefined;
  if (!source) fail('TABLE_NOT_FOUND', item, `Table '${full}' does not exist`);
  return { sql: `(${source.sql})`, columns: source.columns.map((c) => ({ name: c.name, type: c.type, chName: c.name, hidden: c.hidden })) };
}

function joinCondition(item: Node, joinWord: string, right: Relation, scope: Scope, cx: FromContext): string {
  if (item.using) {
    const names = (item.using as Node[]).map((u) => String(u?.value ?? u).toLowerCase());
    right.usingHidden = new Set(names);
    const left = new Scope();
    for (const r of scope.relations) if (r !== right) left.add(r);
    const env = exprEnv(left, cx, 'ON');
    const conds = names.map((n) => {
      const l = new ExprCompiler(env).compile({ type: 'column_ref', column: n, loc: item.loc });
      const r = right.columns.find((c) => c.name.toLowerCase() === n);
      if (!r) fail('COLUMN_NOT_FOUND', item, `Column '${n}' is missing from right side of join`);
      return `${l.sql} = ${ident(right.chAlias)}.${ident(r.chName)}`;
    });
    return ` ON ${conds.join(' AND ')}`;
  }
  if (item.on) {
    if (joinWord === 'CROSS JOIN') fail('SYNTAX_ERROR', item, 'CROSS JOIN cannot have an ON clause');
    return ` ON ${new ExprCompiler(exprEnv(scope, cx, 'ON')).compile(item.on).sql}`;
  }
  if (joinWord !== 'CROSS JOIN') fail('SYNTAX_ERROR', item, `${joinWord} requires an ON or USING clause`);
  return '';
}

const exprEnv = (scope: Scope, cx: FromContext, clause: ExprEnv['clause']): ExprEnv => ({ scope, subquery: cx.subquery, clause, depth: cx.depth, lifted: cx.lifted });

/**
 * `CROSS JOIN UNNEST(a) AS u(x)` → ClickHouse ARRAY JOIN (rows of empty arrays disappear, as in
 * Trino); `LEFT JOIN UNNEST(a) AS u(x) ON true` → LEFT ARRAY JOIN. Several arrays are zipped
 * (ClickHouse requires them to be of equal length).
 */
function unnest(item: Node, joinWord: string, scope: Scope, cx: FromContext): string {
  if (!joinWord) notSupported(item, 'UNNEST as the first FROM item');
  const left = joinWord === 'LEFT JOIN';
  if (left && !(item.on?.type === 'bool' && item.on.value === true)) notSupported(item, 'LEFT JOIN UNNEST other than … ON true');
  if (!left && joinWord !== 'CROSS JOIN' && !(joinWord === 'INNER JOIN' && !item.on)) notSupported(item, `${joinWord} UNNEST`);
  const ex = new ExprCompiler(exprEnv(scope, cx, 'FROM'));
  const arrays = ((item.expr.args?.value ?? []) as Node[]).map((a) => ex.compile(a));
  const { name, columns: names } = aliasParts(item.as);
  if (arrays.length === 0) fail('SYNTAX_ERROR', item, 'UNNEST requires at least one argument');
  if (arrays.some((a) => a.type.startsWith('map('))) notSupported(item, 'UNNEST of a map');
  if (names && names.length !== arrays.length) fail('SYNTAX_ERROR', item, `Column alias list has ${names.length} entries but UNNEST has ${arrays.length} columns`);
  const chAlias = cx.nextAlias();
  const columns: Column[] = arrays.map((a, i) => ({ name: names?.[i] ?? `_col${i}`, type: elementType(a.type), chName: `${chAlias}_${i}`, bare: true }));
  scope.add({ alias: (name ?? '').toLowerCase(), chAlias, columns });
  return `${left ? 'LEFT ' : ''}ARRAY JOIN ${arrays.map((a, i) => `${a.sql} AS ${ident(columns[i]!.chName)}`).join(', ')}`;
}
