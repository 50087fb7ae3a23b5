/**
 * For the function family tests: compiles one expression the way a query would (parsed, checked
 * by plan.ts, compiled against the table's stage), and runs it in embedded ClickHouse over a few
 * made-up events, rendered as GetQueryResults shows values (text; null = missing).
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceError } from '../../../../protocol/errors.ts';
import { ChdbEngine } from '../../../../store/telemetry/engine.ts';
import { SqlContext, type SqlOptions } from '../context.ts';
import { compileExpr } from '../expr.ts';
import { compileInsightsQuery } from '../index.ts';
import { parseQuery } from '../parse.ts';
import { planQuery } from '../plan.ts';
import { baseStage } from '../stage.ts';
import { asOutput, type Val } from '../values.ts';

/** The query's start time (now()) in these tests: 2024-01-01 01:00:00 UTC. */
export const NOW = Date.UTC(2024, 0, 1, 1, 0, 0);

const OPTS: SqlOptions = { account: '123456789012', region: 'us-east-1', logGroups: ['/app'], startMs: NOW - 3_600_000, endMs: NOW, nowMs: NOW };

export interface CompileOptions {
  /** Compile as a stats aggregation instead of a fields expression. */
  stats?: boolean;
  /** Fields commands that run first (`fields jsonParse(@message) as j`). */
  before?: string;
}

/** `expr` compiled as `fields expr` (or `stats expr`), with the context that holds its parameters. */
export function compile(expr: string, { stats = false, before: pre = '' }: CompileOptions = {}): { cx: SqlContext; v: Val } {
  const query = parseQuery(`${pre ? `${pre} | ` : ''}${stats ? 'stats' : 'fields'} ${expr} as __x`);
  planQuery(query);
  const cx = new SqlContext(query, OPTS);
  const stage = baseStage(cx);
  for (const c of query.commands.slice(0, -1)) {
    if (c.kind !== 'fields') throw new Error('test-support: only fields commands can come first');
    for (const p of c.items) stage.bindings.set(p.name, compileExpr(cx, p.expr, { stage, level: 'row' }));
  }
  const last = query.commands.at(-1)!;
  const item = last.kind === 'stats' ? last.aggs[0]! : last.kind === 'fields' ? last.items[0]! : undefined;
  if (item === undefined) throw new Error('unreachable');
  return { cx, v: compileExpr(cx, item.expr, { stage, level: stats ? 'group' : 'row' }) };
}

/** The MalformedQueryException message of compiling `expr`. */
export function compileError(expr: string, opts: CompileOptions = {}): string {
  return errorOf(() => compile(expr, opts), expr);
}

/** The MalformedQueryException message of compiling a whole query. */
export function queryError(query: string): string {
  return errorOf(() => compileInsightsQuery(query, OPTS), query);
}

function errorOf(run: () => unknown, what: string): string {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, 'MalformedQueryException');
    return e.message;
  }
  return assert.fail(`${what} compiled`);
}

export interface TestEvent {
  message: string;
  /** ms since the epoch; default NOW - 1 s. */
  ts?: number;
}

export interface Evaluator {
  /** `expr` over one event (default message `{}`). */
  value(expr: string, event?: TestEvent | string, opts?: CompileOptions): Promise<string | null>;
  /** The stats aggregation `expr` over `events`: null when there is no result row. */
  aggregate(expr: string, events: (TestEvent | string)[]): Promise<string | null>;
}

/** An embedded engine for the calling test file (opened before its tests, closed after). */
export function evaluator(): Evaluator {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-insights-fn-'));
  let engine: ChdbEngine | undefined;
  before(async () => {
    engine = await ChdbEngine.open({ path: dir });
  });
  after(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (expr: string, events: (TestEvent | string)[], opts: CompileOptions): Promise<string | null> => {
    const { cx, v } = compile(expr, opts);
    const es = events.map((e) => (typeof e === 'string' ? { message: e } : e));
    // The columns of log_events the compiled SQL reads, one row per event.
    const rows = '(SELECT tupleElement(r, 1) AS message, tupleElement(r, 2) AS ts, ts + 250 AS ingest_ts, toUInt64(0) AS seq, ' +
      "'s' AS log_stream, '/app' AS log_group FROM (SELECT arrayJoin(arrayZip({__m:Array(String)}, {__t:Array(Int64)})) AS r))";
    const sql = `SELECT ${asOutput(cx, v)} AS v FROM ${rows}${opts.stats ? ' HAVING count() > 0' : ''}`;
    const params = { ...cx.params, __m: es.map((e) => e.message), __t: es.map((e) => e.ts ?? NOW - 1000) };
    const out = await engine!.query<{ v: string | null }>(sql, params);
    return out[0]?.v ?? null;
  };
  return {
    value: (expr, event = '{}', opts = {}) => run(expr, [event], opts),
    aggregate: (expr, events) => run(expr, events, { stats: true }),
  };
}
