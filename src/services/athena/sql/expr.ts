/**
 * Expressions (node-sql-parser's Trino AST) → ClickHouse SQL with Trino's semantics. A whitelist:
 * the node types handled here compile, every other one is refused naming it. Functions live in
 * their own tables (functions.ts and the files it gathers); this file holds operators, literals,
 * column references, CASE, subqueries and the dispatch.
 */
import { andOrGroups } from '../../../lib/sql/and-or-groups.ts';
import { at, AthenaSqlError, fail, notSupported, type Node } from './errors.ts';
import { compileAggregate, isAggregateName } from './aggregates.ts';
import { compileWindowFunction, WINDOW_ONLY } from './window.ts';
import { compileCast } from './casts.ts';
import { compileFunction } from './functions.ts';
import type { Call } from './call.ts';
import { jsonMember, rowMember } from './json-url.ts';
import { isRow } from './row-type.ts';
import { type Scope } from './scope.ts';
import type { Lifted } from './subqueries.ts';
import { num, str, unquoteTrino } from './sql-text.ts';
import {
  arithmeticType, commonType, elementType, isArray, isInteger, isMap, isNumeric, mapTypes, type Typed,
} from './types.ts';
import { compileDateLiteral, compileExtract, compileInterval } from './datetime.ts';

/** A compiled subquery: its SQL (output columns c0…cN) and the columns' Athena names and types. */
export interface CompiledQuery {
  sql: string;
  columns: { name: string; type: string }[];
}

export interface ExprEnv {
  scope: Scope;
  /** Compiles a nested SELECT (IN, EXISTS, scalar subqueries) with `scope` as its outer scope. */
  subquery(ast: Node, outer: Scope): CompiledQuery;
  /** Which clause is being compiled, for Trino's "cannot contain aggregations" errors. */
  clause: 'SELECT' | 'WHERE' | 'GROUP BY' | 'HAVING' | 'ORDER BY' | 'ON' | 'FROM';
  /** Nesting budget shared by the whole statement (deep input must fail cleanly, not overflow the stack). */
  depth: { n: number };
  /** Subqueries lifted out before parsing, by placeholder name (subqueries.ts). */
  lifted: ReadonlyMap<string, Lifted>;
}

// Generated filters (`x = a OR x = b OR …`) nest one level per term, hence a generous bound.
const MAX_DEPTH = 1000;
const COMPARE = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);

export class ExprCompiler {
  /** Set while compiling an aggregate's arguments: aggregates do not nest. */
  private inAggregate = false;
  /** The FILTER (WHERE …) condition of the aggregate being compiled. */
  private filter: Typed | undefined;

  constructor(readonly env: ExprEnv) {}

  compile(node: Node): Typed {
    if (++this.env.depth.n > MAX_DEPTH) fail('NOT_SUPPORTED', node, `Expression is nested too deeply (more than ${MAX_DEPTH} levels)`);
    try {
      return this.dispatch(node);
    } finally {
      this.env.depth.n--;
    }
  }

  private dispatch(node: Node): Typed {
    if (node?.ast) return this.scalarSubquery(node);
    if (node?.collate) notSupported(node, 'COLLATE');
    switch (node?.type) {
      case 'column_ref': return this.column(node);
      // Trino's quoted identifier ("timestamp"), which the grammar leaves bare outside the select list.
      case 'double_quote_string': return this.column({ type: 'column_ref', table: null, column: String(node.value), loc: node.loc });
      case 'single_quote_string': case 'string': return { sql: str(unquoteTrino(String(node.value))), type: 'varchar' };
      case 'number': case 'bigint': return { sql: num(node.value), type: /^-?\d+$/.test(String(node.value)) ? 'bigint' : 'double' };
      case 'bool': return { sql: node.value ? 'true' : 'false', type: 'boolean' };
      case 'null': return { sql: 'NULL', type: 'null' };
      case 'date': case 'timestamp': return compileDateLiteral(node);
      case 'interval': return compileInterval(node);
      case 'binary_expr': return this.binary(node);
      case 'unary_expr': return this.unary(node);
      case 'case': return this.caseExpr(node);
      case 'cast': return compileCast(node, this.compile(node.expr));
      case 'extract': return compileExtract(node, this.compile(node.args?.source));
      case 'array': return this.arrayLiteral(node);
      case 'aggr_func': return this.aggregateOrWindow(node);
      case 'function': return this.call(node);
      default: return notSupported(node, `Expression ${describe(node)}`);
    }
  }

  /**
   * A column, `alias.column`, or a member path of a JSON column (`useridentity.arn`,
   * `c.useridentity.sessioncontext.sessionissuer.username`: Athena's CloudTrail table has struct
   * columns, ours are JSON text), with `[i]` / `['k']` subscripts.
   */
  private column(node: Node): Typed {
    const parts = columnParts(node);
    if (parts[parts.length - 1] === '*') fail('SYNTAX_ERROR', node, "'*' is only allowed in the select list and in count(*)");
    const scope = this.env.scope;
    const tries: [Typed | undefined, string[]][] = [];
    if (parts.length >= 2) tries.push([scope.find(parts[1]!, parts[0], node), parts.slice(2)]);
    tries.push([scope.find(parts[0]!, undefined, node), parts.slice(1)]);
    const hit = tries.find(([base, rest]) => base && (rest.length === 0 || base.type === 'json' || isRow(base.type)));
    if (!hit) {
      const shown = parts.join('.');
      const [name, qualifier] = parts.length >= 2 ? [parts[1]!, parts[0]] : [parts[0]!, undefined];
      if (scope.resolvesOutside(name, qualifier, node)) notSupported(node, `Correlated subquery (reference to '${shown}' of an enclosing query)`);
      fail('COLUMN_NOT_FOUND', node, `Column '${shown}' cannot be resolved`);
    }
    let value = hit[1].length === 0 ? hit[0]! : isRow(hit[0]!.type) ? rowMember(hit[0]!, hit[1], node) : jsonMember(hit[0]!, hit[1]);
    for (const sub of (node.array_index ?? []) as Node[]) value = this.subscript(value, sub.index, node);
    return value;
  }

  /** `a[i]` (1-based) and `m[key]`: NULL when out of range or absent (Trino raises an error there). */
  subscript(base: Typed, indexNode: Node, node: Node): Typed {
    const index = this.compile(indexNode);
    if (isMap(base.type)) {
      return { sql: `if(mapContains(${base.sql}, ${index.sql}), ${base.sql}[${index.sql}], NULL)`, type: mapTypes(base.type)[1] };
    }
    if (!isArray(base.type) && base.type !== 'unknown') fail('TYPE_MISMATCH', node, `Cannot use '[]' on a value of type ${base.type}`);
    return { sql: `arrayElement(arrayMap(e__ -> toNullable(e__), ${base.sql}), ${index.sql})`, type: elementType(base.type) };
  }

  private binary(node: Node): Typed {
    const op = String(node.operator).toUpperCase();
    if (op === 'AND' || op === 'OR') return this.logical(node);
    if (op === 'IN' || op === 'NOT IN') return this.inList(op, node);
    if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
      const [lo, hi] = (node.right?.value ?? []) as Node[];
      const l = this.compile(node.left);
      return { sql: `(${l.sql} ${op} ${this.compile(lo).sql} AND ${this.compile(hi).sql})`, type: 'boolean' };
    }
    if (op === 'IS' || op === 'IS NOT') return this.isTest(op, node);
    const l = this.compile(node.left);
    const r = this.compile(node.right);
    if (COMPARE.has(op)) return { sql: `(${l.sql} ${op === '<>' ? '!=' : op} ${r.sql})`, type: 'boolean' };
    if (op === 'LIKE' || op === 'NOT LIKE') return this.like(op, l, r, node);
    if (op === '||') return { sql: `concat(${l.sql}, ${r.sql})`, type: isArray(l.type) ? l.type : 'varchar' };
    if (op === '+' || op === '-') return this.addSubtract(op, l, r);
    if (op === '*') return { sql: `(${l.sql} * ${r.sql})`, type: arithmeticType(l.type, r.type) };
    if (op === '/') return this.divide(l, r, node);
    if (op === '%') return { sql: `(${l.sql} % ${r.sql})`, type: arithmeticType(l.type, r.type) };
    return notSupported(node, `Operator ${op}`);
  }

  /**
   * An AND/OR chain, regrouped with AND binding tighter than OR (lib/sql/and-or-groups.ts: the
   * parser groups them as equals). The result is flat (`(a OR (b AND c) OR d)`): generated filters with hundreds of terms
   * would otherwise nest past ClickHouse's parser depth. ClickHouse's AND/OR on Nullable values
   * follow Kleene logic, as Trino's do.
   */
  private logical(node: Node): Typed {
    const anded = andOrGroups(node).map((g) => (g.length === 1 ? this.compile(g[0]).sql : `(${g.map((o) => this.compile(o).sql).join(' AND ')})`));
    return { sql: anded.length === 1 ? anded[0]! : `(${anded.join(' OR ')})`, type: 'boolean' };
  }

  private inList(op: string, node: Node): Typed {
    const left = this.compile(node.left);
    const right = node.right;
    if (right?.type !== 'expr_list') return notSupported(node, `${op} with this right-hand side`);
    const items = right.value as Node[];
    if (items.length === 1 && items[0]?.ast) {
      const q = this.env.subquery(items[0].ast, this.env.scope);
      if (q.columns.length !== 1) fail('SYNTAX_ERROR', node, 'Multiple columns returned by subquery are not yet supported');
      return { sql: `(${left.sql} ${op} (${q.sql}))`, type: 'boolean' };
    }
    return { sql: `(${left.sql} ${op} (${items.map((v) => this.compile(v).sql).join(', ')}))`, type: 'boolean' };
  }

  private isTest(op: string, node: Node): Typed {
    const l = this.compile(node.left);
    const right = node.right;
    if (right?.type === 'null') return { sql: `(${l.sql} ${op} NULL)`, type: 'boolean' };
    if (right?.type === 'bool') {
      // x IS TRUE is never NULL: false when x is NULL.
      const test = `ifNull(${l.sql} = ${right.value ? 'true' : 'false'}, false)`;
      return { sql: op === 'IS' ? test : `(NOT ${test})`, type: 'boolean' };
    }
    return notSupported(node, `${op} ${describe(right)}`);
  }

  private like(op: string, l: Typed, r: Typed, node: Node): Typed {
    if (node.escape || node.right?.escape) notSupported(node, 'LIKE … ESCAPE');
    // Trino's LIKE has no backslash escapes; ClickHouse's does, so a literal backslash is doubled.
    const pattern = node.right?.type === 'single_quote_string' ? str(unquoteTrino(String(node.right.value)).replace(/\\/g, '\\\\')) : r.sql;
    return { sql: `(${l.sql} ${op} ${pattern})`, type: 'boolean' };
  }

  private addSubtract(op: string, l: Typed, r: Typed): Typed {
    if (r.type === 'interval' || l.type === 'interval') {
      const [ts, iv] = r.type === 'interval' ? [l, r] : [r, l];
      if (op === '-' && l.type === 'interval') fail('TYPE_MISMATCH', null, 'Cannot subtract a timestamp from an interval');
      return { sql: `(${ts.sql} ${op} ${iv.sql})`, type: ts.type === 'unknown' ? 'timestamp(3)' : ts.type };
    }
    return { sql: `(${l.sql} ${op} ${r.sql})`, type: arithmeticType(l.type, r.type) };
  }

  /**
   * Trino divides integers as integers (truncating toward zero, like intDiv). When a side's type
   * is unknown (e.g. a subquery column ClickHouse types itself), `/` is ClickHouse's float division.
   */
  private divide(l: Typed, r: Typed, node: Node): Typed {
    if (isInteger(l.type) && isInteger(r.type)) return { sql: `intDiv(${l.sql}, ${r.sql})`, type: 'bigint' };
    if ((l.type !== 'unknown' && l.type !== 'null' && !isNumeric(l.type)) || (r.type !== 'unknown' && r.type !== 'null' && !isNumeric(r.type))) {
      fail('TYPE_MISMATCH', node, `Cannot apply operator: ${l.type} / ${r.type}`);
    }
    return { sql: `(${l.sql} / ${r.sql})`, type: 'double' };
  }

  private unary(node: Node): Typed {
    const op = String(node.operator).toUpperCase();
    if (op === 'NOT EXISTS' || op === 'EXISTS') {
      const q = this.env.subquery(node.expr?.ast, this.env.scope);
      return { sql: `(${op} (${q.sql}))`, type: 'boolean' };
    }
    const e = this.compile(node.expr);
    if (op === 'NOT') return { sql: `(NOT ${e.sql})`, type: 'boolean' };
    if (op === '-') return { sql: `(-${e.sql})`, type: e.type };
    if (op === '+') return e;
    return notSupported(node, `Operator ${op}`);
  }

  private caseExpr(node: Node): Typed {
    const subject = node.expr ? this.compile(node.expr) : undefined;
    const conds: string[] = [];
    const results: Typed[] = [];
    let otherwise: Typed = { sql: 'NULL', type: 'null' };
    for (const arm of node.args as Node[]) {
      if (arm.type === 'when') {
        const cond = this.compile(arm.cond);
        conds.push(subject ? `(${subject.sql} = ${cond.sql})` : cond.sql);
        results.push(this.compile(arm.result));
      } else otherwise = this.compile(arm.result);
    }
    const type = commonType([...results.map((r) => r.type), otherwise.type]);
    const parts = conds.map((c, i) => `${c}, ${results[i]!.sql}`);
    return { sql: `multiIf(${parts.join(', ')}, ${otherwise.sql})`, type };
  }

  private arrayLiteral(node: Node): Typed {
    const items = ((node.expr_list?.value ?? []) as Node[]).map((v) => this.compile(v));
    return { sql: `[${items.map((i) => i.sql).join(', ')}]`, type: `array(${commonType(items.map((i) => i.type))})` };
  }

  /** `agg(args) FILTER (WHERE cond)`, rewritten before parsing as a placeholder call (cond, agg(args)). */
  private filtered(cond: Node, agg: Node, node: Node): Typed {
    const name = String(agg?.type === 'aggr_func' ? agg.name : agg?.name?.name?.[0]?.value ?? '').toLowerCase();
    if ((agg?.type !== 'aggr_func' && agg?.type !== 'function') || !isAggregateName(name) || agg.over) {
      fail('SYNTAX_ERROR', node, 'FILTER is only valid for aggregation functions');
    }
    if (this.filter) fail('SYNTAX_ERROR', node, 'Cannot nest aggregations inside aggregation');
    this.filter = this.compile(cond);
    try {
      return this.compile(agg);
    } finally {
      this.filter = undefined;
    }
  }

  private liftedSubquery(lifted: Lifted, node: Node): Typed {
    if (lifted.kind === 'scalar') return this.scalarSubquery({ ast: lifted.ast, loc: node.loc });
    if (lifted.kind === 'filter') return fail('SYNTAX_ERROR', node, 'FILTER is only valid for aggregation functions');
    return { sql: `(EXISTS (${this.env.subquery(lifted.ast, this.env.scope).sql}))`, type: 'boolean' };
  }

  /** A scalar subquery: one column, at most one row (ClickHouse raises an error beyond, as Trino does). */
  private scalarSubquery(node: Node): Typed {
    const q = this.env.subquery(node.ast, this.env.scope);
    if (q.columns.length !== 1) fail('SYNTAX_ERROR', node, 'Multiple columns returned by subquery are not yet supported');
    return { sql: `(${q.sql})`, type: q.columns[0]!.type };
  }

  private aggregateOrWindow(node: Node): Typed {
    const name = String(node.name).toLowerCase();
    return this.callNamed(name, node, node.args?.expr ? [node.args.expr] : [], node.args?.distinct === 'DISTINCT');
  }

  private call(node: Node): Typed {
    const parts = (node.name?.name ?? []) as Node[];
    if (parts.length !== 1) fail('FUNCTION_NOT_FOUND', node, `Function '${parts.map((p) => p.value).join('.')}' not registered`);
    const name = String(parts[0].value).toLowerCase();
    // `NOT (x)` reaches here as a call of a function named NOT.
    if (name === 'not' && (node.args?.value ?? []).length === 1) return { sql: `(NOT ${this.compile(node.args.value[0]).sql})`, type: 'boolean' };
    const lifted = this.env.lifted.get(name);
    if (lifted?.kind === 'filter' && (node.args?.value ?? []).length === 2) return this.filtered(node.args.value[0], node.args.value[1], node);
    if (lifted && lifted.kind !== 'filter' && (node.args?.value ?? []).length === 0) return this.liftedSubquery(lifted, node);
    return this.callNamed(name, node, (node.args?.value ?? []) as Node[], node.args?.distinct === 'DISTINCT');
  }

  private callNamed(name: string, node: Node, args: Node[], distinct: boolean): Typed {
    const call: Call = { name, node, args, distinct, ex: this };
    if (node.over) {
      if (this.env.clause !== 'SELECT' && this.env.clause !== 'ORDER BY') fail('SYNTAX_ERROR', node, `${this.env.clause} clause cannot contain window functions`);
      return compileWindowFunction(call, node.over);
    }
    if (WINDOW_ONLY.has(name)) fail('SYNTAX_ERROR', node, `Window function ${name}() requires an OVER clause`);
    const agg = this.aggregateCall(call);
    return agg ?? compileFunction(call);
  }

  private aggregateCall(call: Call): Typed | undefined {
    if (!isAggregateName(call.name)) return undefined;
    if (this.inAggregate) fail('SYNTAX_ERROR', call.node, 'Cannot nest aggregations inside aggregation');
    if (this.env.clause === 'WHERE' || this.env.clause === 'GROUP BY' || this.env.clause === 'ON' || this.env.clause === 'FROM') {
      fail('SYNTAX_ERROR', call.node, `${this.env.clause} clause cannot contain aggregations or window functions`);
    }
    this.inAggregate = true;
    const filter = this.filter;
    this.filter = undefined;
    try {
      return compileAggregate(call, filter);
    } finally {
      this.inAggregate = false;
    }
  }

  /** A string literal argument's text (units, JSON paths, formats), or an error naming the function. */
  literal(node: Node, fn: string): string {
    if (node?.type !== 'single_quote_string' && node?.type !== 'string') {
      fail('NOT_SUPPORTED', node, `${fn}() with a non-literal argument in this position`);
    }
    return unquoteTrino(String(node.value));
  }
}

/** The dotted parts of a column reference (`a.b.c.d` arrives as a chain of `.` operators). */
export function columnParts(node: Node): string[] {
  const part = (v: Node): string[] => {
    if (typeof v === 'string') return [v];
    if (v?.type === 'binary_expr' && v.operator === '.') return [...part(v.left), ...part(v.right)];
    const text = v?.expr?.value ?? v?.value;
    if (typeof text !== 'string') throw new AthenaSqlError('NOT_SUPPORTED', `${at(node)}This column reference is not supported`);
    return [text];
  };
  const column = typeof node.column === 'object' && node.column?.expr?.type === 'binary_expr' ? part(node.column.expr) : part(node.column);
  return [node.db, node.schema, node.table].filter((p): p is string => typeof p === 'string').concat(column);
}

/** The name a column reference is known by: its last part. */
export const columnName = (node: Node): string => columnParts(node).pop()!;

/** A short, safe description of a node for messages (its type, never raw text beyond a keyword). */
export function describe(node: Node): string {
  if (node?.type === 'default' && typeof node.value === 'string') return String(node.value).split(/\s+/).slice(0, 2).join(' ');
  return String(node?.type ?? 'unknown').replace(/_/g, ' ');
}

