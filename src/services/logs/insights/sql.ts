/**
 * A planned Logs Insights query → one ClickHouse SELECT over `log_events`, with every user value
 * bound as a `{pN:Type}` parameter.
 *
 * Pipeline → SQL. Commands run in order over a "stage" (stage.ts): a FROM (the table or a
 * subquery), WHERE conditions, the fields defined so far (name → SQL expression), the current row
 * order and a pending limit. Row-wise commands only add to the stage: `fields`/`parse` bind names
 * to expressions (substituted where used), `filter` adds a WHERE condition, `sort` prepends order
 * keys (the previous order stays as tie-breaker), `limit` lowers the pending limit. A subquery
 * boundary is made only where the order of operations needs one: before a filter/sort/stats/dedup
 * that follows a limit, for dedup (a window function), and for stats (GROUP BY). So the common
 * `filter … | stats … by bin(5m)` is a single `SELECT … FROM log_events WHERE … GROUP BY …`, and
 * `filter @message like "x"` reaches the table's token index.
 *
 * Where things are: values.ts (value types and conversions), context.ts (parameters, options),
 * fields.ts (field references), expr.ts (expressions), functions/ (one family per file),
 * commands/ (the commands that need more than a line).
 *
 * Output: every column is rendered to text by SQL and aliased c0…cN; `columns` gives their names.
 */
import type { Query } from './ast.ts';
import { compileDedup } from './commands/dedup.ts';
import { compileFilter } from './commands/filter.ts';
import { compileParse } from './commands/parse.ts';
import { compileSort } from './commands/sort.ts';
import { compileStats } from './commands/stats.ts';
import { SqlContext, type SqlOptions } from './context.ts';
import { compileExpr } from './expr.ts';
import { resolveName } from './fields.ts';
import { MAX_LIMIT } from './parse.ts';
import type { Plan } from './plan.ts';
import { baseStage, orderSql, settle, whereSql, type Stage } from './stage.ts';
import { asOutput, type Val } from './values.ts';

export type { SqlOptions } from './context.ts';
export type { Val, VType } from './values.ts';

export interface CompiledSql {
  /** Rows have columns c0…cN (Nullable(String)), named by `columns`. */
  sql: string;
  params: Record<string, unknown>;
  columns: string[];
  /** Event rows (each has @ptr) rather than stats results. */
  events: boolean;
  /** The row limit applied to the final result. */
  limit: number;
  /**
   * `SELECT count() AS recordsMatched`: events that reach the first stats or dedup (or the output,
   * before the final limit). Absent when the main query reports it itself in the `__matched` column (queries
   * whose only stats ends the pipeline but for sort/limit/display), saving a second scan.
   */
  matchedSql?: string;
  /**
   * `SELECT count() AS recordsScanned, sum(message_bytes) AS bytesScanned, countIf(key_id != '') AS encryptedRecords`,
   * with literals instead of parameters: run it without `params` so it runs beside the main query.
   */
  scanSql: string;
}

/** Default number of result rows ("If you omit limit, the query will return as many as 10,000 log events"). */
export const DEFAULT_LIMIT = 10_000;

export function compileSql(plan: Plan, opts: SqlOptions): CompiledSql {
  const cx = new SqlContext(plan.query, opts);
  // recordsMatched can ride along in the main query when the first stats is the last stage
  // that changes rows: a hidden count() per group, summed over all groups by a window.
  const commands = plan.query.commands;
  const firstStats = commands.findIndex((c) => c.kind === 'stats');
  const foldMatched = firstStats >= 0 &&
    commands.slice(firstStats + 1).every((c) => c.kind === 'sort' || c.kind === 'limit' || c.kind === 'display');
  const { stage, matched } = runCommands(cx, plan.query, foldMatched);
  return finish(cx, plan, stage, matched, foldMatched);
}

/** The stage after every command, and the one that reached the first stats or dedup (for recordsMatched). */
function runCommands(cx: SqlContext, query: Query, foldMatched: boolean): { stage: Stage; matched: Stage } {
  let stage = baseStage(cx);
  let matched: Stage | undefined;
  let statsSeen = 0;
  // Commands that see the set of rows (filter, sort, dedup, stats) first apply a pending limit.
  for (const c of query.commands) {
    switch (c.kind) {
      case 'fields':
        for (const p of c.items) stage.bindings.set(p.name, compileExpr(cx, p.expr, { stage, level: 'row' }));
        break;
      case 'display':
        // Only chooses the output columns (plan.ts); checked here so a bad name fails where it is.
        for (const p of c.items) compileExpr(cx, p.expr, { stage, level: 'row' });
        break;
      case 'filter':
        stage = compileFilter(cx, settle(cx, stage), c);
        break;
      case 'parse':
        compileParse(cx, stage, c);
        break;
      case 'sort':
        stage = compileSort(cx, settle(cx, stage), c);
        break;
      case 'limit':
        stage.limit = Math.min(stage.limit ?? Infinity, c.count);
        break;
      case 'dedup':
        stage = settle(cx, stage);
        // AWS counts recordsMatched before deduplication ("Y is the total number of records matched before deduplication").
        if (matched === undefined) matched = stage;
        stage = compileDedup(cx, stage, c);
        break;
      case 'stats':
        stage = settle(cx, stage);
        if (statsSeen++ === 0) matched = stage;
        stage = compileStats(cx, stage, c, foldMatched && statsSeen === 1);
        break;
    }
  }
  return { stage, matched: matched ?? stage };
}

/** The output columns over the final stage, the final limit and the statistics queries. */
function finish(cx: SqlContext, plan: Plan, stage: Stage, matched: Stage, foldMatched: boolean): CompiledSql {
  const outputs: { name: string; v: Val }[] = [];
  if (plan.output.kind === 'display') {
    for (const p of plan.output.items) outputs.push({ name: p.name, v: compileExpr(cx, p.expr, { stage, level: 'row' }) });
  } else {
    for (const name of plan.output.names) outputs.push({ name, v: resolveName(cx, stage, name) });
  }
  const seen = new Set<string>();
  const cols = outputs.filter((o) => (seen.has(o.name) ? false : (seen.add(o.name), true)));
  if (plan.events && !seen.has('@ptr')) cols.push({ name: '@ptr', v: stage.bindings.get('@ptr')! });

  const limit = Math.min(stage.limit ?? Infinity, cx.opts.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const select = cols.map((o, i) => `${asOutput(cx, o.v)} AS c${i}`).join(', ') + (foldMatched ? ', toString(sum(__matched) OVER ()) AS __matched_total' : '');
  const sql = `SELECT ${select} FROM ${stage.from}${whereSql(stage.where)}${orderSql(stage.order)} LIMIT ${limit}`;

  return {
    sql,
    params: cx.params,
    columns: cols.map((o) => o.name),
    events: plan.events,
    limit,
    matchedSql: foldMatched ? undefined : `SELECT count() AS recordsMatched FROM ${matched.from}${whereSql(matched.where)}`,
    // message_bytes is a small materialized column, so statistics never re-read the messages.
    scanSql: 'SELECT count() AS recordsScanned, sum(message_bytes) AS bytesScanned, ' +
      `countIf(key_id != '') AS encryptedRecords FROM log_events WHERE ${cx.scanWhere}`,
  };
}
