/**
 * `sort key [asc|desc], …`: "All non-number values come before all number values … For
 * non-number values, the algorithm groups consecutive numeric characters and consecutive
 * alphabetic characters into separate chunks … It orders non-numeric portions by their Unicode
 * values, and it orders numeric portions by their length first and then by their numerical
 * value." Descending is the exact reverse. Missing values come last either way. The new keys go
 * in front of the current order, which stays as tie-breaker.
 */
import type { SortCommand, Span } from '../ast.ts';
import type { SqlContext } from '../context.ts';
import { compileExpr } from '../expr.ts';
import { type OrderItem, type Stage } from '../stage.ts';
import { naturalKey, type Val } from '../values.ts';

export function compileSort(cx: SqlContext, stage: Stage, c: SortCommand): Stage {
  const keys = c.keys.flatMap((k) => orderItems(cx, compileExpr(cx, k.expr, { stage, level: 'row' }), k.desc, k));
  stage.order = [...keys, ...stage.order];
  return stage;
}

function orderItems(cx: SqlContext, v: Val, desc: boolean, at: Span): OrderItem[] {
  if (v.type === 'json') cx.fail('sorting by a map or list is not supported', at);
  if (v.type !== 'text') return [{ sql: `isNull(${v.sql})`, desc: false }, { sql: v.sql, desc }];
  const n = `toFloat64OrNull(${v.sql})`;
  return [
    { sql: `isNull(${v.sql})`, desc: false },
    { sql: `isNotNull(${n})`, desc },
    { sql: n, desc },
    // Number values order by value, then as written ("0", "01", "1"); the chunked key is for the rest.
    { sql: `if(isNull(${n}), ${naturalKey(v.sql)}, '')`, desc },
    { sql: v.sql, desc },
  ];
}
