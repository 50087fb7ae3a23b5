/**
 * `stats agg, … [by key, …]`: one GROUP BY subquery over the current stage; its rows are the
 * groups, its fields the keys and aggregations (ordered by the keys). Without keys a single row,
 * and none at all when no event matched. An expression may combine the other aggregations of the
 * same stats by name (`a - b as c`): those compile after the plain aggregations.
 */
import type { Projection, StatsCommand } from '../ast.ts';
import type { SqlContext } from '../context.ts';
import { compileExpr } from '../expr.ts';
import { refersTo } from '../plan.ts';
import { whereSql, type OrderItem, type Stage } from '../stage.ts';
import type { Val } from '../values.ts';

/** `countMatched`: also count the group's events as `__matched` (recordsMatched, see sql.ts). */
export function compileStats(cx: SqlContext, stage: Stage, c: StatsCommand, countMatched: boolean): Stage {
  const select: string[] = countMatched ? ['count() AS __matched'] : [];
  const bindings = new Map<string, Val>();
  const keys: string[] = [];
  const order: OrderItem[] = [];
  for (const p of c.by) {
    const v = compileExpr(cx, p.expr, { stage, level: 'row' });
    if (v.type === 'json') cx.fail('grouping by a map or list is not supported', p);
    const a = cx.alias('k');
    select.push(`${v.sql} AS ${a}`);
    keys.push(a);
    bindings.set(p.name, { sql: a, type: v.type });
    order.push({ sql: a, desc: false });
  }
  const compiled = compileAggregations(cx, stage, c.aggs);
  for (const p of c.aggs) {
    const v = compiled.get(p)!;
    const a = cx.alias('a');
    select.push(`${v.sql} AS ${a}`);
    bindings.set(p.name, { sql: a, type: v.type });
  }
  const group = keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : ' HAVING count() > 0';
  const sql = `(SELECT ${select.join(', ')} FROM ${stage.from}${whereSql(stage.where)}${group})`;
  return { from: sql, where: [], bindings, open: false, order, limit: undefined };
}

/** Aggregations first, then expressions over their names (`a - b as c`), in the order written. */
function compileAggregations(cx: SqlContext, stage: Stage, aggs: Projection[]): Map<Projection, Val> {
  const aggregates = new Map<string, Val>();
  const compiled = new Map<Projection, Val>();
  const names = new Set(aggs.map((p) => p.name));
  const pending = aggs.filter((p) => {
    if (refersTo(p.expr, names, p.name)) return true;
    const v = compileExpr(cx, p.expr, { stage, level: 'group' });
    compiled.set(p, v);
    aggregates.set(p.name, v);
    return false;
  });
  for (const p of pending) {
    const v = compileExpr(cx, p.expr, { stage, level: 'group', aggregates });
    compiled.set(p, v);
    aggregates.set(p.name, v);
  }
  return compiled;
}
