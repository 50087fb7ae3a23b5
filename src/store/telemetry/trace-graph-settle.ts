/**
 * Settled traces: each trace's share of the service graph (trace-graph-contributions.ts) stored
 * once its documents have stopped arriving, so GetServiceGraph over an hour of traffic adds up
 * stored rows instead of assembling every trace of the hour (trace-graph.ts).
 *
 * A pass settles the traces that received documents in (upto of the last pass, cut], from all
 * their documents received up to `cut`, and records itself in `trace_graph_passes` last. Queries
 * read the latest recorded pass P with its `upto` W: rows of passes ≤ P are complete for every
 * document received ≤ W, and traces with a document received after W are worked out from their
 * documents. A trace receiving documents after it was settled is settled again; its earlier rows
 * are then listed in `trace_graph_superseded` (by the new pass), as are rows a pass that never
 * recorded itself (a crash) left behind — the next pass covers the same documents again.
 *
 * `cut` stays `settleDelayMs` behind the clock and before the oldest document still being
 * inserted on this node, so no document can land at or below a recorded `upto` afterwards. With
 * several nodes sharing a ClickHouse server one node settles (a lease) and the delay must cover
 * the other nodes' insert latency.
 */
import type { SqlEngine } from './engine.ts';
import { nodeNamesSql, SEGMENTS, traceContributionsSql } from './trace-graph-contributions.ts';

export const TRACE_GRAPH_TABLE = 'trace_graph';
export const TRACE_GRAPH_SUPERSEDED_TABLE = 'trace_graph_superseded';
export const TRACE_GRAPH_PASSES_TABLE = 'trace_graph_passes';
export const TRACE_GRAPH_NAMES_TABLE = 'trace_graph_names';

const RETENTION_DAYS = 30;
const passTtl = (days: number) => `toDateTime(intDiv(pass, 1000)) + INTERVAL ${days} DAY`;

export const TRACE_GRAPH_SETTLED_MIGRATION = {
  id: '0018_trace_graph_settled',
  statements: [
    // One row per (trace, node or edge): a query's range keeps a trace when one of its documents
    // started in it, which lo_start / hi_start answer for every trace that does not span the whole
    // range (those few are worked out from their documents). ORDER BY lo_start: ranges prune.
    `CREATE TABLE IF NOT EXISTS ${TRACE_GRAPH_TABLE} (
      account LowCardinality(String),
      region LowCardinality(String),
      trace_id String,
      pass Int64,
      first_start Float64,
      lo_start Float64,
      hi_start Float64,
      kind UInt8,
      f_client UInt8,
      f_key UInt64,
      t_key UInt64,
      root UInt8,
      inferred UInt8,
      ok UInt32,
      error UInt32,
      throttle UInt32,
      fault UInt32,
      total UInt32,
      rt_sum Float64,
      min_start Float64,
      max_end Float64,
      hist_rt Array(Float64),
      hist_n Array(UInt64)
    ) ENGINE = MergeTree
    PARTITION BY intDiv(toUInt32(lo_start), 86400)
    ORDER BY (account, region, lo_start, trace_id)
    TTL ${passTtl(RETENTION_DAYS)}
    SETTINGS ttl_only_drop_parts = 1`,
    `CREATE TABLE IF NOT EXISTS ${TRACE_GRAPH_SUPERSEDED_TABLE} (
      account LowCardinality(String),
      region LowCardinality(String),
      trace_id String,
      old_pass Int64,
      pass Int64
    ) ENGINE = MergeTree ORDER BY (account, region, trace_id, old_pass)
    TTL ${passTtl(RETENTION_DAYS)}`,
    `CREATE TABLE IF NOT EXISTS ${TRACE_GRAPH_PASSES_TABLE} (pass Int64, upto Int64) ENGINE = MergeTree ORDER BY pass
    TTL ${passTtl(RETENTION_DAYS)}`,
    `CREATE TABLE IF NOT EXISTS ${TRACE_GRAPH_NAMES_TABLE} (
      account LowCardinality(String),
      region LowCardinality(String),
      key UInt64,
      name String,
      type LowCardinality(String),
      node_account String,
      pass Int64
    ) ENGINE = ReplacingMergeTree(pass) ORDER BY (account, region, key)
    TTL ${passTtl(RETENTION_DAYS)}`,
  ],
} as const;

/** The latest recorded pass: rows of passes ≤ `pass` cover every document received ≤ `upto` (ms). */
export interface SettledMark {
  pass: number;
  upto: number;
}

export const NOTHING_SETTLED: SettledMark = { pass: 0, upto: 0 };

export async function settledMark(engine: SqlEngine): Promise<SettledMark> {
  const rows = await engine.query<{ last: string | number; upto: string | number; n: string | number }>(
    `SELECT max(pass) AS last, argMax(upto, pass) AS upto, count() AS n FROM ${TRACE_GRAPH_PASSES_TABLE}`,
  );
  const r = rows[0];
  return r && Number(r.n) > 0 ? { pass: Number(r.last), upto: Number(r.upto) } : NOTHING_SETTLED;
}

export interface SettleOptions {
  /** Documents are settled once received this long ago (ms). */
  settleDelayMs: number;
  /** At most this much receive time (ms) per pass, so catching up after a restart goes in steps. */
  maxSpanMs: number;
  /** Epoch ms of the oldest document this node is still inserting (undefined: none). */
  oldestUnstored: () => number | undefined;
  now: () => number;
  /** Told of each recorded pass (debug logs). */
  onPass?: (mark: SettledMark) => void;
}

/** Documents received in the pass's interval: the traces it settles. */
const TOUCHED = `received > {from:Int64} AND received <= {cut:Int64}`;
/** A settled trace's documents: an hour either side of the touched ones, as the query reads them. */
const AROUND = `start_time >= (SELECT min(start_time) FROM ${SEGMENTS} WHERE ${TOUCHED}) - 3600
  AND start_time <= (SELECT max(start_time) FROM ${SEGMENTS} WHERE ${TOUCHED}) + 3600`;
const TOUCHED_TRACES = `(account, region, trace_id) IN (SELECT account, region, trace_id FROM ${SEGMENTS} WHERE ${TOUCHED})`;

const SUPERSEDE_SQL = `INSERT INTO ${TRACE_GRAPH_SUPERSEDED_TABLE} (account, region, trace_id, old_pass, pass)
  SELECT account, region, trace_id, pass, {pass:Int64} FROM ${TRACE_GRAPH_TABLE}
  WHERE lo_start >= (SELECT min(start_time) FROM ${SEGMENTS} WHERE ${TOUCHED}) - 7200 AND ${TOUCHED_TRACES}
  GROUP BY account, region, trace_id, pass`;

const SETTLE_SQL = `INSERT INTO ${TRACE_GRAPH_TABLE}
  SELECT account, region, trace_id, {pass:Int64}, first_start, lo_start, hi_start, c.1, c.2, c.3, c.4, max(c.5), min(c.6),
    countIf(c.7 = 0), countIf(c.7 = 1), countIf(c.7 = 2), countIf(c.7 = 3), count(), sum(c.8), min(c.9), max(c.10),
    tupleElement(sumMap([round(c.8, 3)], [toUInt64(1)]) AS h, 1), tupleElement(h, 2)
  FROM (${traceContributionsSql(`received <= {cut:Int64} AND ${AROUND} AND ${TOUCHED_TRACES}`, '1')})
  ARRAY JOIN contributions AS c
  GROUP BY account, region, trace_id, first_start, lo_start, hi_start, c.1, c.2, c.3, c.4`;

const NAMES_SQL = `INSERT INTO ${TRACE_GRAPH_NAMES_TABLE} (account, region, key, name, type, node_account, pass)
  SELECT account, region, key, any(name), any(type), any(node_account), {pass:Int64} FROM (${nodeNamesSql(TOUCHED)})
  GROUP BY account, region, key`;

export class TraceGraphSettler {
  constructor(private readonly engine: SqlEngine, private readonly o: SettleOptions) {}

  /**
   * Settles the next interval of received documents; true when more is ready to settle (a caller
   * catching up runs it again).
   */
  async pass(): Promise<boolean> {
    const mark = await settledMark(this.engine);
    const next = await this.nextReceived(mark.upto);
    if (next === undefined) return false;
    const pending = this.o.oldestUnstored();
    const ready = Math.min(this.o.now() - this.o.settleDelayMs, pending === undefined ? Infinity : pending - 1);
    // From the last pass's upto (or the first document) to at most maxSpanMs past the next document
    // received: a gap in traffic is skipped, not walked through.
    const from = mark.pass === 0 ? next - 1 : mark.upto;
    const cut = Math.min(ready, next - 1 + this.o.maxSpanMs);
    if (cut <= from || cut < next) return false;
    const pass = Math.max(this.o.now(), mark.pass + 1);
    const params = { from, cut, pass };
    await this.engine.exec(SUPERSEDE_SQL, params);
    await this.engine.exec(SETTLE_SQL, params);
    await this.engine.exec(NAMES_SQL, params);
    await this.engine.exec(`INSERT INTO ${TRACE_GRAPH_PASSES_TABLE} (pass, upto) VALUES ({pass:Int64}, {cut:Int64})`, params);
    this.o.onPass?.({ pass, upto: cut });
    return cut < ready;
  }

  /** The earliest `received` after `after` (epoch ms); undefined when nothing was received since. */
  private async nextReceived(after: number): Promise<number | undefined> {
    const rows = await this.engine.query<{ r: string | number }>(`SELECT min(received) AS r FROM ${SEGMENTS} WHERE received > {after:Int64}`, { after });
    // min() over no rows is 0, never a time after `after`.
    const r = Number(rows[0]?.r ?? 0);
    return r > after ? r : undefined;
  }
}

/** The settled tables follow trace_segments' retention (whole parts drop once expired). */
export async function setSettledRetention(engine: SqlEngine, days: number): Promise<void> {
  const tables = await engine.query<{ name: string; engine_full: string }>(
    `SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}`,
    { names: [TRACE_GRAPH_TABLE, TRACE_GRAPH_SUPERSEDED_TABLE, TRACE_GRAPH_PASSES_TABLE, TRACE_GRAPH_NAMES_TABLE] },
  );
  for (const { name: t, engine_full: full } of tables) {
    if (full.includes(`toIntervalDay(${days})`)) continue;
    await engine.exec(`ALTER TABLE ${t} MODIFY TTL ${passTtl(days)} SETTINGS materialize_ttl_after_modify = 0`);
  }
}
