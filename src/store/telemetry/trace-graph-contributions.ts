/**
 * One trace's share of the X-Ray service graph, worked out by the store from the graph columns
 * written with each document (trace-segments.ts, 0014), without reading a document:
 *
 * 1. The documents of a trace; one version per id, the complete beating an in-progress one, the
 *    later beating the earlier.
 * 2. The ids each segment holds: itself, its subsegments, and streamed subsegments whose parent
 *    it holds.
 * 3. Each segment is a node; its caller is the segment holding its `parent_id` (an edge from the
 *    caller's node), else it may be the trace's root: the earliest-starting segment without a
 *    caller, which gets an edge from a client node.
 * 4. Each `aws` / `remote` subsegment no segment names as parent is an inferred node, with an edge
 *    from the segment holding it.
 *
 * Used twice: GetServiceGraph aggregates it over the traces not settled yet (trace-graph.ts), and
 * the settle pass stores it per trace once a trace's documents have stopped arriving
 * (trace-graph-settle.ts), so a query over an hour adds up stored rows instead of assembling traces.
 */

/** TRACE_SEGMENTS_TABLE (trace-segments.ts imports the graph modules, so the name is not imported back). */
export const SEGMENTS = 'trace_segments';

/**
 * Per trace (account, region, trace_id): `first_start` (the earliest kept document's start, which
 * places the trace in a period), `lo_start` / `hi_start` (every document's earliest and latest
 * start) and `contributions`, an array of (kind: 0 node / 1 edge, from is a client node, from key,
 * to key, root, inferred, status, response time, start, end) — node keys are cityHash64(name,
 * type, account). `where` selects the documents, `having` the traces.
 *
 * One pass, no joins: documents are grouped per trace and each trace's nodes and edges are worked
 * out with array functions (traces are small; the quadratic lookups stay cheap). CTEs are not
 * materialised by ClickHouse, so a join-based plan recomputed the dedupe for every reference
 * (12.9 s over 128 k segments; this: see BENCHMARKS).
 */
export function traceContributionsSql(where: string, having: string): string {
  // Each level computes from the columns of the level below: ClickHouse substitutes an alias's
  // whole expression wherever a same-level alias names it, and with every step as an alias of the
  // previous one, analysing the query took ~140 ms before any row was read.
  return `
  SELECT account, region, trace_id, first_start, lo_start, hi_start,
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
    SELECT *,
      if(empty(candidates), 0, arraySort(i -> tuple(sts[i], ids[i]), candidates)[1]) AS root_i,
      arrayFilter(x -> x.1 != 0 AND NOT has(called, x.2.1), arrayFlatten(arrayMap((o, cs) -> arrayMap(c -> tuple(o, c), cs), owner, calls))) AS inferred_calls
    FROM (
      SELECT *,
        arrayFilter((i, sub, c) -> sub = 0 AND c = 0, idx, subs, caller) AS candidates,
        arrayFilter((par, sub) -> sub = 0 AND par != '', parents, subs) AS called
      FROM (
        SELECT *,
          -- Held id → holding segment (1-based), looked up with indexOf (0, i.e. none, when absent).
          arrayMap((sub, par) -> if(sub = 0 AND par != '', held_by[indexOf(held_ids, par)], 0), subs, parents) AS caller,
          arrayMap((k, sub, id) -> if(sub = 0, k, held_by[indexOf(held_ids, id)]), idx, subs, ids) AS owner
        FROM (
          SELECT *, arrayFlatten(held) AS held_ids, arrayFlatten(arrayMap((h, j) -> arrayWithConstant(length(h), j), held, idx)) AS held_by
          FROM (
            SELECT *,
              -- The ids each segment holds: itself, its subsegments, and (only traces with streamed
              -- subsegments pay for this) the streamed subsegments whose parent it holds.
              if(has(subs, 1),
                arrayMap((d, sub) -> if(sub = 0, arrayConcat(d, arrayFlatten(arrayMap((id, s2, par, own) -> if(s2 = 1 AND has(d, par), arrayConcat([id], own), []), ids, subs, parents, owned))), []), direct, subs),
                direct) AS held
            FROM (
              SELECT *, arrayMin(sts) AS first_start, range(1, length(ids) + 1) AS idx,
                arrayMap((id, sub, own) -> if(sub = 0, arrayConcat([id], own), []), ids, subs, owned) AS direct,
                arrayMap((n, t, a) -> cityHash64(n, t, a), names, types, accounts) AS keys
              FROM (
                SELECT account, region, trace_id, lo_start, hi_start,
                  arrayFilter((x, k) -> k, all_ids, keep) AS ids, arrayFilter((x, k) -> k, all_parents, keep) AS parents,
                  arrayFilter((x, k) -> k, all_subs, keep) AS subs, arrayFilter((x, k) -> k, all_names, keep) AS names,
                  arrayFilter((x, k) -> k, all_types, keep) AS types, arrayFilter((x, k) -> k, all_accounts, keep) AS accounts,
                  arrayFilter((x, k) -> k, all_statuses, keep) AS statuses, arrayFilter((x, k) -> k, all_rts, keep) AS rts,
                  arrayFilter((x, k) -> k, all_sts, keep) AS sts, arrayFilter((x, k) -> k, all_ens, keep) AS ens,
                  arrayFilter((x, k) -> k, all_owned, keep) AS owned, arrayFilter((x, k) -> k, all_calls, keep) AS calls
                FROM (
                  SELECT *,
                    -- One version per document: complete beats in progress, later beats earlier.
                    -- Only traces with a repeated id pay for the comparison.
                    if(length(arrayDistinct(all_ids)) = length(all_ids), arrayWithConstant(length(all_ids), 1),
                      arrayMap((i, id, v) -> NOT arrayExists((j, id2, v2) -> id2 = id AND (v2 > v OR (v2 = v AND j > i)), range(1, length(all_ids) + 1), all_ids, versions),
                        range(1, length(all_ids) + 1), all_ids, versions)) AS keep
                  FROM (
                    SELECT account, region, trace_id, min(start_time) AS lo_start, max(start_time) AS hi_start,
                      groupArray(id) AS all_ids, groupArray(toInt64(received) + (1 - in_progress) * 10000000000000) AS versions,
                      groupArray(parent_id) AS all_parents, groupArray(subsegment) AS all_subs, groupArray(node_name) AS all_names,
                      groupArray(CAST(node_type AS String)) AS all_types, groupArray(node_account) AS all_accounts, groupArray(status) AS all_statuses,
                      groupArray(response_time) AS all_rts, groupArray(start_time) AS all_sts, groupArray(if(end_time = 0, start_time, end_time)) AS all_ens,
                      groupArray(owned) AS all_owned,
                      groupArray(arrayZip(call_ids, call_names, arrayMap(t -> CAST(t AS String), call_types), call_accounts, call_status, call_rt, call_start, call_end)) AS all_calls
                    FROM ${SEGMENTS}
                    PREWHERE ${where}
                    GROUP BY account, region, trace_id
                    HAVING ${having}
                  )
                )
              )
            )
          )
        )
      )
    )
  )`;
}

/**
 * (key, name, type, account) of every node the selected documents name: their segments' nodes and
 * their `aws` / `remote` calls (the graph carries 64-bit keys; string copies were half its time).
 */
export function nodeNamesSql(where: string): string {
  return `
      SELECT account, region, cityHash64(node_name, CAST(node_type AS String), node_account) AS key, node_name AS name, CAST(node_type AS String) AS type, node_account
      FROM ${SEGMENTS} WHERE ${where} AND subsegment = 0
      UNION ALL
      SELECT account, region, cityHash64(c.1, c.2, c.3), c.1, c.2, c.3
      FROM ${SEGMENTS} ARRAY JOIN arrayZip(call_names, arrayMap(x -> CAST(x AS String), call_types), call_accounts) AS c WHERE ${where}`;
}
