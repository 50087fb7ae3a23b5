/**
 * The stage commands run over: a FROM (the table or a subquery), WHERE conditions, the fields
 * defined so far (name → SQL expression), the current row order and a pending limit. Row-wise
 * commands only add to it; `materialize` turns it into a subquery where the order of operations
 * needs one (see sql.ts).
 */
import type { SqlContext } from './context.ts';
import type { Val, VType } from './values.ts';

export interface OrderItem {
  sql: string;
  desc: boolean;
  stable?: boolean;
}

export interface Stage {
  from: string;
  where: string[];
  bindings: Map<string, Val>;
  /** Before any stats: the table's columns are present and unknown names are discovered fields. */
  open: boolean;
  order: OrderItem[];
  limit: number | undefined;
}

/** Where an expression is evaluated: per event, as a stats aggregate, or inside an aggregation. */
export type AggLevel = 'row' | 'group' | 'inAggregate';

/** What an expression compiles against. */
export interface Scope {
  stage: Stage;
  level: AggLevel;
  /** In a stats expression: the other aggregations of the same stats, by name. */
  aggregates?: Map<string, Val>;
}

const BASE_COLUMNS = ['ts', 'ingest_ts', 'seq', 'log_stream', 'log_group', 'message'] as const;

/** The table with the system fields bound, newest first. */
export function baseStage(cx: SqlContext): Stage {
  const b = new Map<string, Val>();
  const sys = (name: string, sql: string, type: VType): void => {
    b.set(name, { sql, type, stable: true, notNull: true });
  };
  sys('@timestamp', 'ts', 'ts');
  sys('@message', 'message', 'text');
  sys('@logStream', 'log_stream', 'text');
  sys('@ingestionTime', 'ingest_ts', 'ts');
  sys('@log', `concat(${cx.str(cx.opts.account)}, ':', log_group)`, 'text');
  // @ptr: base64 of {"g":group,"s":stream,"t":"ts","q":"seq"} — see decodePtr in index.ts.
  sys('@ptr', "base64Encode(toJSONString(CAST(tuple(log_group, log_stream, toString(ts), toString(seq)), " +
    "'Tuple(g String, s String, t String, q String)')))", 'text');
  return {
    from: 'log_events',
    where: [cx.baseWhere],
    bindings: b,
    open: true,
    // Results are newest first unless the query sorts ("the default descending sort order using @timestamp").
    order: [{ sql: 'ts', desc: true, stable: true }, { sql: 'seq', desc: true, stable: true }],
    limit: undefined,
  };
}

/** A stage whose pending limit is applied: commands that see the set of rows need it first. */
export function settle(cx: SqlContext, stage: Stage): Stage {
  return stage.limit === undefined ? stage : materialize(cx, stage);
}

/** Turns a stage into a subquery: bindings and order keys become its columns. */
export function materialize(cx: SqlContext, stage: Stage, extra: (s: Stage) => string[] = () => []): Stage {
  const cols: string[] = stage.open ? [...BASE_COLUMNS] : [];
  const bindings = new Map<string, Val>();
  for (const [name, v] of stage.bindings) {
    if (v.stable && stage.open) {
      bindings.set(name, v);
      continue;
    }
    const a = cx.alias('b');
    cols.push(`${v.sql} AS ${a}`);
    bindings.set(name, { ...v, sql: a, stable: false });
  }
  const order: OrderItem[] = stage.order.map((o) => {
    if (o.stable && stage.open) return o;
    const a = cx.alias('o');
    cols.push(`${o.sql} AS ${a}`);
    return { sql: a, desc: o.desc };
  });
  cols.push(...extra(stage));
  const tail = stage.limit !== undefined ? `${orderSql(stage.order)} LIMIT ${stage.limit}` : '';
  const sql = `(SELECT ${cols.length > 0 ? cols.join(', ') : '1 AS __one'} FROM ${stage.from}${whereSql(stage.where)}${tail})`;
  return { from: sql, where: [], bindings, open: stage.open, order, limit: undefined };
}

export function whereSql(where: string[]): string {
  return where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
}

export function orderList(order: OrderItem[]): string {
  return order.map((o) => `${o.sql} ${o.desc ? 'DESC' : 'ASC'}`).join(', ');
}

export function orderSql(order: OrderItem[]): string {
  return order.length === 0 ? '' : ` ORDER BY ${orderList(order)}`;
}
