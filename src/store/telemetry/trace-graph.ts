/**
 * The X-Ray service graph aggregated in the telemetry store — the same graph
 * services/xray/traces/service-graph.ts builds from assembled traces, without reading a document.
 * A range's traces are those with a segment starting in it; each trace's nodes and edges
 * (trace-graph-contributions.ts) come from the rows the settle pass stored for it
 * (trace-graph-settle.ts) or, for the traces still receiving documents (and the rare settled trace
 * spanning the whole range, whose rows cannot tell whether a segment started inside it), from its
 * documents. Nodes and edges are then counted by status, response time (histogram by ms), first
 * start and last end — one row per node and per edge, nodes named through their 64-bit keys at the
 * end. test/xray-graph-store.test.ts (documents) and test/xray-graph-settled.test.ts (settled rows)
 * check both paths against the in-memory graph.
 */
import type { SqlEngine } from './engine.ts';
import { nodeNamesSql, SEGMENTS, traceContributionsSql } from './trace-graph-contributions.ts';
import { settledMark, TRACE_GRAPH_NAMES_TABLE, TRACE_GRAPH_SUPERSEDED_TABLE, TRACE_GRAPH_TABLE } from './trace-graph-settle.ts';

export interface GraphNodeKey {
  client: boolean;
  name: string;
  type: string;
  account: string;
}

export interface GraphStats {
  ok: number;
  error: number;
  throttle: number;
  fault: number;
  total: number;
  responseTime: number;
  start: number;
  end: number;
  /** Response time (s, ms precision) → count. */
  histogram: Map<number, number>;
}

/** `bucket`: the start (epoch s) of the period holding the trace's first segment; 0 without a period. */
export type GraphRow =
  | { kind: 'node'; bucket: number; node: GraphNodeKey; root: boolean; inferred: boolean; stats: GraphStats }
  | { kind: 'edge'; bucket: number; from: GraphNodeKey; to: GraphNodeKey; stats: GraphStats };

/** A period longer than every epoch second: one bucket, 0 (GetServiceGraph). */
const ONE_BUCKET = 4_294_967_295;

const SCOPE = 'account = {account:String} AND region = {region:String}';
/** An hour either side of the range: where an unsettled trace's documents are read from. */
const WINDOW = 'start_time >= {start:Float64} - 3600 AND start_time <= {end:Float64} + 3600';
const BUCKET = 'intDiv(toUInt64(first_start), {period:UInt32}) * {period:UInt32}';
const SETTLED = `${SCOPE} AND pass <= {pass:Int64}`;

/** Traces worked out from their documents: received after the settled mark, or settled but spanning the range. */
const LIVE_TRACES = `(
  SELECT trace_id FROM ${SEGMENTS} WHERE ${SCOPE} AND ${WINDOW} AND received > {upto:Int64}
  UNION DISTINCT
  SELECT trace_id FROM ${TRACE_GRAPH_TABLE} WHERE ${SETTLED} AND lo_start < {start:Float64} AND hi_start > {end:Float64})`;

const GRAPH_SQL = `
WITH
  graph AS (
    SELECT bucket, kind, f_client, f_key, t_key, max(x_root) AS root, min(x_inferred) AS inferred,
      sum(n_ok) AS ok, sum(n_error) AS error, sum(n_throttle) AS throttle, sum(n_fault) AS fault, sum(n_total) AS total,
      sum(s_rt) AS rt_sum, min(s_first) AS first_start, max(s_last) AS last_end, sumMap(h_rt, h_n) AS hist
    FROM (
      SELECT ${BUCKET} AS bucket, kind, f_client, f_key, t_key, max(root) AS x_root, min(inferred) AS x_inferred,
        sum(ok) AS n_ok, sum(error) AS n_error, sum(throttle) AS n_throttle, sum(fault) AS n_fault, sum(total) AS n_total,
        sum(rt_sum) AS s_rt, min(min_start) AS s_first, max(max_end) AS s_last,
        tupleElement(sumMap(hist_rt, hist_n) AS h, 1) AS h_rt, tupleElement(h, 2) AS h_n
      FROM ${TRACE_GRAPH_TABLE}
      WHERE ${SETTLED} AND lo_start <= {end:Float64} AND hi_start >= {start:Float64}
        AND ((lo_start >= {start:Float64}) OR (hi_start <= {end:Float64}))
        AND trace_id NOT IN ${LIVE_TRACES}
        AND (trace_id, pass) NOT IN (SELECT trace_id, old_pass FROM ${TRACE_GRAPH_SUPERSEDED_TABLE} WHERE ${SETTLED})
      GROUP BY bucket, kind, f_client, f_key, t_key
      UNION ALL
      SELECT ${BUCKET} AS bucket, c.1 AS kind, c.2 AS f_client, c.3 AS f_key, c.4 AS t_key, max(c.5) AS x_root, min(c.6) AS x_inferred,
        countIf(c.7 = 0) AS n_ok, countIf(c.7 = 1) AS n_error, countIf(c.7 = 2) AS n_throttle, countIf(c.7 = 3) AS n_fault, count() AS n_total,
        sum(c.8) AS s_rt, min(c.9) AS s_first, max(c.10) AS s_last,
        tupleElement(sumMap([round(c.8, 3)], [toUInt64(1)]) AS h, 1) AS h_rt, tupleElement(h, 2) AS h_n
      FROM (${traceContributionsSql(`${SCOPE} AND ${WINDOW} AND trace_id IN ${LIVE_TRACES}`, 'countIf(start_time >= {start:Float64} AND start_time <= {end:Float64}) > 0')})
      ARRAY JOIN contributions AS c
      GROUP BY bucket, kind, f_client, f_key, t_key
    )
    GROUP BY bucket, kind, f_client, f_key, t_key
  ),
  idents AS (
    SELECT key AS k, any(name) AS n, any(type) AS t, any(node_account) AS a FROM (
      SELECT key, name, type, node_account FROM ${TRACE_GRAPH_NAMES_TABLE} WHERE ${SETTLED}
      UNION ALL
      SELECT key, name, type, node_account FROM (${nodeNamesSql(`${SCOPE} AND ${WINDOW} AND trace_id IN ${LIVE_TRACES}`)})
    ) GROUP BY key
  )
SELECT g.bucket AS bucket, if(g.kind = 0, 'node', 'edge') AS kind, g.f_client AS f_client, f.n AS f_name, f.t AS f_type, f.a AS f_account, t.n AS t_name, t.t AS t_type, t.a AS t_account,
  g.root AS root, g.inferred AS inferred, g.ok AS ok, g.error AS error, g.throttle AS throttle, g.fault AS fault, g.total AS total,
  g.rt_sum AS rt_sum, g.first_start AS first_start, g.last_end AS last_end, g.hist AS hist
FROM graph AS g LEFT JOIN idents AS f ON g.f_key = f.k LEFT JOIN idents AS t ON g.t_key = t.k
ORDER BY g.bucket, g.kind, t_name, t_type, t_account, f_client, f_name, f_type, f_account`;

interface Raw {
  bucket: string | number;
  kind: 'node' | 'edge';
  f_client: number; f_name: string; f_type: string; f_account: string;
  t_name: string; t_type: string; t_account: string;
  root: number; inferred: number;
  ok: string | number; error: string | number; throttle: string | number; fault: string | number; total: string | number;
  rt_sum: number; first_start: number; last_end: number;
  hist: [number[], (string | number)[]];
}

/** Whether the range's traces hold documents stored before the graph columns existed. */
export async function hasDocumentsWithoutGraphColumns(engine: SqlEngine, scope: { account: string; region: string }, start: number, end: number): Promise<boolean> {
  const rows = await engine.query<{ n: string | number }>(
    `SELECT count() AS n FROM (SELECT 1 FROM ${SEGMENTS} WHERE ${SCOPE} AND ${WINDOW} AND graph_facts = 0 LIMIT 1)`,
    { account: scope.account, region: scope.region, start, end },
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

/** `period` (s): rows per period of the traces' first segment (GetTimeSeriesServiceStatistics). */
export async function serviceGraphRows(engine: SqlEngine, scope: { account: string; region: string }, start: number, end: number, period = ONE_BUCKET): Promise<GraphRow[]> {
  const mark = await settledMark(engine);
  const rows = await engine.query<Raw>(GRAPH_SQL, { account: scope.account, region: scope.region, start, end, period, pass: mark.pass, upto: mark.upto });
  return rows.map((r): GraphRow => {
    const stats: GraphStats = {
      ok: Number(r.ok), error: Number(r.error), throttle: Number(r.throttle), fault: Number(r.fault), total: Number(r.total),
      responseTime: r.rt_sum, start: r.first_start, end: r.last_end,
      histogram: new Map(r.hist[0].map((v, i) => [v, Number(r.hist[1][i])])),
    };
    const to = { client: false, name: r.t_name, type: r.t_type, account: r.t_account };
    const bucket = Number(r.bucket);
    if (r.kind === 'node') return { kind: 'node', bucket, node: to, root: r.root === 1, inferred: r.inferred === 1, stats };
    return { kind: 'edge', bucket, from: { client: r.f_client === 1, name: r.f_name, type: r.f_type, account: r.f_account }, to, stats };
  });
}
