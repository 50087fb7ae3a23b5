/**
 * `dedup field, …`: "Duplicates are discarded based on the sort order, with only the first result
 * in the sort order being kept … Log events with null values for any of the specified fields are
 * retained." A window function over a subquery of the current stage.
 */
import type { DedupCommand } from '../ast.ts';
import type { SqlContext } from '../context.ts';
import { compileExpr } from '../expr.ts';
import { materialize, orderList, type Stage } from '../stage.ts';

export function compileDedup(cx: SqlContext, stage: Stage, c: DedupCommand): Stage {
  const keys = c.fields.map((f) => compileExpr(cx, f, { stage, level: 'row' }).sql);
  const order = orderList(stage.order) || 'tuple()';
  const out = materialize(cx, stage, () => [
    `row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${order}) AS __rn`,
    `(${keys.map((k) => `isNull(${k})`).join(' OR ')}) AS __dn`,
  ]);
  out.where.push('(__rn = 1 OR __dn)');
  return out;
}
