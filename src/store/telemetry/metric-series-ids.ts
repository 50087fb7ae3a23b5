/**
 * Series ids for the rollup tiers, as the engine computes them (SERIES_ID_SQL: ClickHouse's
 * cityHash64 of the series' identity). The head writes tier rows itself now (issue 17), so it needs
 * the id of every series it flushes; each id is asked of the engine once — one SELECT per flush
 * for all series first seen since the last one — and then kept on the series' identity.
 *
 * Why not hash in JS: ClickHouse's multi-argument cityHash64 (CityHash v1.0.2, combined per
 * argument, arrays hashed element-wise) has no maintained npm port, and a mismatch would silently
 * split every series' history in two. Asking the engine keeps the id equal by construction and
 * costs one query per new series batch (steady ingest: none).
 */
import type { SqlEngine } from './engine.ts';
import { seriesIdSql } from './metric-rollups.ts';

export interface SeriesIdentity {
  /** seriesVersionKey of the series (metric-series.ts). */
  readonly key: string;
  /** metricVersionKey of its metric. */
  readonly metricKey: string;
  readonly account: string;
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  /** Canonical (sorted by name). */
  readonly dims: readonly (readonly [string, string])[];
  /** The tier id, once resolved. */
  id: bigint | undefined;
  /** The series' columns of a metric_raw row, RowBinary (metric-head.ts), once computed. */
  rawPrefix?: Buffer;
}

/** Series per SELECT: keeps bound parameters far below max_query_size. */
const CHUNK = 5_000;

const ID_SQL = `SELECT arrayMap((a, r, n, m, k, v) -> ${seriesIdSql('a', 'r', 'n', 'm', 'k', 'v')}, ` +
  '{a:Array(String)}, {r:Array(String)}, {n:Array(String)}, {m:Array(String)}, {k:Array(Array(String))}, {v:Array(Array(String))}) AS ids';

export class SeriesIds {
  constructor(private readonly engine: SqlEngine) {}

  /** Sets `id` on every series that has none. */
  async resolve(series: readonly SeriesIdentity[]): Promise<void> {
    const missing = series.filter((s) => s.id === undefined);
    for (let from = 0; from < missing.length; from += CHUNK) {
      const chunk = missing.slice(from, from + CHUNK);
      const [row] = await this.engine.query<{ ids: string[] }>(ID_SQL, {
        a: chunk.map((s) => s.account), r: chunk.map((s) => s.region),
        n: chunk.map((s) => s.namespace), m: chunk.map((s) => s.metricName),
        k: chunk.map((s) => s.dims.map(([k]) => k)), v: chunk.map((s) => s.dims.map(([, v]) => v)),
      });
      if (row === undefined || row.ids.length !== chunk.length) throw new Error('series id query returned a different number of ids');
      chunk.forEach((s, i) => { s.id = BigInt(row.ids[i]!); });
    }
  }
}
