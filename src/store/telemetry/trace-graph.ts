/**
 * The X-Ray service graph aggregated in the telemetry store, from the graph columns written with
 * each document (trace-segments.ts, 0014) — the same graph services/xray/traces/service-graph.ts
 * builds from assembled traces, without reading a document:
 *
 * 1. The documents of the traces with a segment starting in the range (read from an hour either
 *    side of it), grouped per trace; one version per id, the complete beating an in-progress one,
 *    the later beating the earlier.
 * 2. The ids each segment holds: itself, its subsegments, and streamed subsegments whose parent
 *    it holds.
 * 3. Each segment is a node; its caller is the segment holding its `parent_id` (an edge from the
 *    caller's node), else it may be the trace's root: the earliest-starting segment without a
 *    caller, which gets an edge from a client node.
 * 4. Each `aws` / `remote` subsegment no segment names as parent is an inferred node, with an edge
 *    from the segment holding it.
 * Nodes and edges are then counted by status, response time (histogram by ms), first start and last
 * end — one row per node and per edge, nodes named through their 64-bit keys at the end.
 * test/xray-graph-store.test.ts checks it against the in-memory graph.
 */
import type { SqlEngine } from './engine.ts';

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

/** TRACE_SEGMENTS_TABLE (trace-segments.ts imports this module, so the name is not imported back). */
const T = 'trace_segments';
const SCOPE = 'account = {account:String} AND region = {region:String}';
/** An hour either side of the range: where a trace's documents are read from. */
const WINDOW = 'start_time >= {start:Float64} - 3600 AND start_time <= {end:Float64} + 3600';

// One pass, no joins: documents are grouped per trace and each trace's nodes and edges are worked
// out with array functions (traces are small; the quadratic lookups stay cheap), then every
// trace's contributions are aggregated. CTEs are not materialised by ClickHouse, so a join-based
// plan recomputed the dedupe for every reference (12.9 s over 128 k segments; this: see BENCHMARKS).
const GRAPH_SQL = `
WITH
  graph AS (
SELECT bucket, c.1 AS kind, c.2 AS f_client, c.3 AS f_key, c.4 AS t_key, max(c.5) AS root, min(c.6) AS inferred,
  countIf(c.7 = 0) AS ok, countIf(c.7 = 1) AS error, countIf(c.7 = 2) AS throttle, countIf(c.7 = 3) AS fault, count() AS total,
  sum(c.8) AS rt_sum, min(c.9) AS first_start, max(c.10) AS last_end, sumMap([round(c.8, 3)], [toUInt64(1)]) AS hist
FROM (
  SELECT
    intDiv(toUInt64(arrayMin(sts)), {period:UInt32}) * {period:UInt32} AS bucket,
    range(1, length(ids) + 1) AS idx,
    -- The ids each segment holds: itself, its subsegments, and (only traces with streamed
    -- subsegments pay for this) the streamed subsegments whose parent it holds.
    arrayMap((id, sub, own) -> if(sub = 0, arrayConcat([id], own), []), ids, subs, owned) AS direct,
    if(has(subs, 1),
      arrayMap((d, sub) -> if(sub = 0, arrayConcat(d, arrayFlatten(arrayMap((id, s2, par, own) -> if(s2 = 1 AND has(d, par), arrayConcat([id], own), []), ids, subs, parents, owned))), []), direct, subs),
      direct) AS held,
    -- Held id → holding segment (1-based), looked up with indexOf (0, i.e. none, when absent).
    arrayFlatten(held) AS held_ids,
    arrayFlatten(arrayMap((h, j) -> arrayWithConstant(length(h), j), held, idx)) AS held_by,
    arrayMap((sub, par) -> if(sub = 0 AND par != '', held_by[indexOf(held_ids, par)], 0), subs, parents) AS caller,
    arrayFilter((i, sub, c) -> sub = 0 AND c = 0, idx, subs, caller) AS candidates,
    if(empty(candidates), 0, arraySort(i -> tuple(sts[i], ids[i]), candidates)[1]) AS root_i,
    arrayFilter((par, sub) -> sub = 0 AND par != '', parents, subs) AS called,
    arrayMap((k, sub, id) -> if(sub = 0, k, held_by[indexOf(held_ids, id)]), idx, subs, ids) AS owner,
    arrayFilter(x -> x.1 != 0 AND NOT has(called, x.2.1), arrayFlatten(arrayMap((o, cs) -> arrayMap(c -> tuple(o, c), cs), owner, calls))) AS inferred_calls,
    arrayMap((n, t, a) -> cityHash64(n, t, a), names, types, accounts) AS keys,
    -- (kind: 0 node / 1 edge, from is a client node, from key, to key, root, inferred, status, response time, start, end)
    arrayConcat(
      arrayFilter((x, sub) -> sub = 0, arrayMap((i, k, st, rt, s0, e0) -> tuple(0, 0, toUInt64(0), k, toUInt8(i = root_i), 0, st, rt, s0, e0),
        idx, keys, statuses, rts, sts, ens), subs),
      arrayFilter((x, i, c) -> c != 0 AND c != i, arrayMap((c, k, st, rt, s0, e0) -> tuple(1, 0, keys[c], k, 0, 0, st, rt, s0, e0),
        caller, keys, statuses, rts, sts, ens), idx, caller),
      if(root_i = 0, [], [tuple(1, 1, keys[root_i], keys[root_i], 0, 0, statuses[root_i], rts[root_i], sts[root_i], ens[root_i])]),
      arrayMap(x -> tuple(0, 0, toUInt64(0), cityHash64(x.2.2, x.2.3, x.2.4), 0, 1, x.2.5, x.2.6, x.2.7, x.2.8), inferred_calls),
      arrayMap(x -> tuple(1, 0, keys[x.1], cityHash64(x.2.2, x.2.3, x.2.4), 0, 0, x.2.5, x.2.6, x.2.7, x.2.8), inferred_calls)
    ) AS contributions
  FROM (
    SELECT
      -- One version per document: complete beats in progress, later beats earlier. Only traces
      -- with a repeated id pay for the comparison.
      if(length(arrayDistinct(all_ids)) = length(all_ids), arrayWithConstant(length(all_ids), 1),
        arrayMap((i, id, v) -> NOT arrayExists((j, id2, v2) -> id2 = id AND (v2 > v OR (v2 = v AND j > i)), range(1, length(all_ids) + 1), all_ids, versions),
          range(1, length(all_ids) + 1), all_ids, versions)) AS keep,
      arrayFilter((x, k) -> k, all_ids, keep) AS ids, arrayFilter((x, k) -> k, all_parents, keep) AS parents,
      arrayFilter((x, k) -> k, all_subs, keep) AS subs, arrayFilter((x, k) -> k, all_names, keep) AS names,
      arrayFilter((x, k) -> k, all_types, keep) AS types, arrayFilter((x, k) -> k, all_accounts, keep) AS accounts,
      arrayFilter((x, k) -> k, all_statuses, keep) AS statuses, arrayFilter((x, k) -> k, all_rts, keep) AS rts,
      arrayFilter((x, k) -> k, all_sts, keep) AS sts, arrayFilter((x, k) -> k, all_ens, keep) AS ens,
      arrayFilter((x, k) -> k, all_owned, keep) AS owned, arrayFilter((x, k) -> k, all_calls, keep) AS calls
    FROM (
      SELECT trace_id, groupArray(id) AS all_ids, groupArray(toInt64(received) + (1 - in_progress) * 10000000000000) AS versions,
        groupArray(parent_id) AS all_parents, groupArray(subsegment) AS all_subs, groupArray(node_name) AS all_names,
        groupArray(CAST(node_type AS String)) AS all_types, groupArray(node_account) AS all_accounts, groupArray(status) AS all_statuses,
        groupArray(response_time) AS all_rts, groupArray(start_time) AS all_sts, groupArray(if(end_time = 0, start_time, end_time)) AS all_ens,
        groupArray(owned) AS all_owned,
        groupArray(arrayZip(call_ids, call_names, arrayMap(t -> CAST(t AS String), call_types), call_accounts, call_status, call_rt, call_start, call_end)) AS all_calls
      FROM ${T}
      -- A trace's documents are read from an hour either side of the range (a time scan is ~6x
      -- cheaper than selecting the traces first); traces longer than that lose their far parts.
      WHERE ${SCOPE} AND ${WINDOW}
      GROUP BY trace_id
      HAVING countIf(start_time >= {start:Float64} AND start_time <= {end:Float64}) > 0
    )
  )
)
ARRAY JOIN contributions AS c
GROUP BY bucket, kind, f_client, f_key, t_key
  ),
  -- Node identities by key: the graph carries 64-bit keys, not names (string copies were half its time).
  idents AS (
    SELECT k, any(n) AS n, any(t) AS t, any(a) AS a FROM (
      SELECT cityHash64(node_name, CAST(node_type AS String), node_account) AS k, node_name AS n, CAST(node_type AS String) AS t, node_account AS a
      FROM ${T} WHERE ${SCOPE} AND ${WINDOW} AND subsegment = 0
      UNION ALL
      SELECT cityHash64(c.1, c.2, c.3), c.1, c.2, c.3
      FROM ${T} ARRAY JOIN arrayZip(call_names, arrayMap(x -> CAST(x AS String), call_types), call_accounts) AS c WHERE ${SCOPE} AND ${WINDOW}
    ) GROUP BY k
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
    `SELECT count() AS n FROM (SELECT 1 FROM ${T} WHERE ${SCOPE} AND ${WINDOW} AND graph_facts = 0 LIMIT 1)`,
    { account: scope.account, region: scope.region, start, end },
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

/** `period` (s): rows per period of the traces' first segment (GetTimeSeriesServiceStatistics). */
export async function serviceGraphRows(engine: SqlEngine, scope: { account: string; region: string }, start: number, end: number, period = ONE_BUCKET): Promise<GraphRow[]> {
  const rows = await engine.query<Raw>(GRAPH_SQL, { account: scope.account, region: scope.region, start, end, period });
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
