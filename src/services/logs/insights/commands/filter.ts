/**
 * `filter cond`: a WHERE condition on the current stage (its pending limit already applied), plus cheap
 * prefilters on the raw message that let ClickHouse skip parsing JSON for most events.
 */
import type { Expr, FilterCommand } from '../ast.ts';
import type { SqlContext } from '../context.ts';
import { compileExpr } from '../expr.ts';
import { isDiscoveredJson } from '../fields.ts';
import { type Stage } from '../stage.ts';
import { asBool, numericValue } from '../values.ts';

export function compileFilter(cx: SqlContext, stage: Stage, c: FilterCommand): Stage {
  const v = compileExpr(cx, c.cond, { stage, level: 'row' });
  stage.where.push(...prefilters(cx, c.cond, stage), asBool(v));
  return stage;
}

/**
 * Cheap necessary conditions for a filter's top-level conjuncts on discovered JSON fields:
 * `level = "ERROR"`, `level in ["WARN", "ERROR"]`, `path like "orders"` can only hold if the raw
 * message contains the text (or escapes it, hence the backslash test). They let ClickHouse skip
 * parsing JSON for most events (and use the message token index). Only top-level AND terms get
 * one, where false and NULL both drop the event, so results are unchanged.
 */
function prefilters(cx: SqlContext, cond: Expr, stage: Stage): string[] {
  if (!stage.open) return [];
  const out: string[] = [];
  const plainText = (e: Expr): string | undefined =>
    e.kind === 'string' && e.value !== '' && numericValue(e.value) === undefined ? e.value : undefined;
  const contains = (texts: string[]): string =>
    `(position(message, '\\\\') > 0 OR ${texts.map((t) => `position(message, ${cx.str(t)}) > 0`).join(' OR ')})`;
  const walk = (e: Expr): void => {
    if (e.kind === 'logical' && e.op === 'and') {
      walk(e.left);
      walk(e.right);
    } else if (e.kind === 'compare' && e.op === '=') {
      const [f, lit] = e.left.kind === 'field' ? [e.left, e.right] : [e.right, e.left];
      const t = plainText(lit);
      if (f.kind === 'field' && t !== undefined && isDiscoveredJson(f, stage)) out.push(contains([t]));
    } else if (e.kind === 'in' && !e.negated && e.operand.kind === 'field' && isDiscoveredJson(e.operand, stage)) {
      const texts = e.items.map(plainText);
      if (texts.every((t) => t !== undefined)) out.push(contains(texts as string[]));
    } else if (e.kind === 'like' && !e.negated && e.pattern.kind === 'string' && e.pattern.value !== '' &&
      e.operand.kind === 'field' && isDiscoveredJson(e.operand, stage)) {
      out.push(contains([e.pattern.value]));
    }
  };
  walk(cond);
  return out;
}
