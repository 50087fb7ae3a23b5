/**
 * The Insights queries over `trail_events`, all aggregated in ClickHouse (records are never loaded):
 * per-series counts of one interval, per-series baseline sums over the window (counts per interval,
 * then their sum and sum of squares — empty intervals add nothing to either, the interval count is
 * applied in decide.ts), where each region's data begins, and the top contributors of one series.
 * Insights records never count: each series reads one source category (Management or Data).
 */
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import type { AttributeName, InsightType, SeriesKey, SourceCategory } from './record.ts';

/** What one evaluation reads: an account's events of one category for one insight type, in some regions. */
export interface Scope {
  account: string;
  category: SourceCategory;
  insightType: InsightType;
  /** Every region (a multi-region trail), or just these. */
  allRegions: boolean;
  regions: string[];
}

export interface SeriesCount { region: string; eventSource: string; eventName: string; errorCode: string; count: number }
export interface SeriesSums { region: string; eventSource: string; eventName: string; errorCode: string; total: number; squares: number }

type Num = string | number;
interface RawSeries { region: string; event_source: string; event_name: string; code: string }

/**
 * The analysed events, after AWS: call rates count write management calls (or all data calls),
 * error rates count calls that returned an error code, read or write.
 */
function analysed(category: SourceCategory, type: InsightType): string {
  const cat = category === 'Data' ? "event_category = 'Data'" : "event_category = 'Management'";
  if (type === 'ApiErrorRateInsight') return `${cat} AND error_code != ''`;
  return category === 'Management' ? `${cat} AND read_only = 0` : cat;
}

const codeOf = (type: InsightType): string => (type === 'ApiErrorRateInsight' ? 'error_code' : "''");

function scopeWhere(s: Scope): { sql: string; params: Record<string, unknown> } {
  const region = s.allRegions ? '' : ' AND region IN {regions:Array(String)}';
  return {
    sql: `account = {a:String}${region} AND ${analysed(s.category, s.insightType)}`,
    params: { a: s.account, ...(s.allRegions ? {} : { regions: s.regions }) },
  };
}

/** Events per series in [from, to). */
export async function intervalCounts(engine: SqlEngine, s: Scope, from: number, to: number): Promise<SeriesCount[]> {
  const w = scopeWhere(s);
  const rows = await engine.query<RawSeries & { c: Num }>(
    `SELECT region, event_source, event_name, ${codeOf(s.insightType)} AS code, count() AS c FROM trail_events
     WHERE ${w.sql} AND event_time >= {from:Int64} AND event_time < {to:Int64}
     GROUP BY region, event_source, event_name, code`,
    { ...w.params, from, to },
  );
  return rows.map((r) => ({ region: r.region, eventSource: r.event_source, eventName: r.event_name, errorCode: r.code, count: Number(r.c) }));
}

/**
 * Baseline sums per series over [from, to) in intervals of `intervalMs` (aligned on multiples of
 * it, as the evaluated interval is), for the named APIs only.
 */
export async function baselineSums(
  engine: SqlEngine, s: Scope, eventNames: string[], from: number, to: number, intervalMs: number,
): Promise<SeriesSums[]> {
  const w = scopeWhere(s);
  const rows = await engine.query<RawSeries & { total: Num; squares: Num }>(
    `SELECT region, event_source, event_name, code, sum(c) AS total, sum(c * c) AS squares FROM (
       SELECT region, event_source, event_name, ${codeOf(s.insightType)} AS code, intDiv(event_time, {iv:Int64}) AS k, count() AS c
       FROM trail_events
       WHERE ${w.sql} AND event_name IN {names:Array(String)} AND event_time >= {from:Int64} AND event_time < {to:Int64}
       GROUP BY region, event_source, event_name, code, k)
     GROUP BY region, event_source, event_name, code`,
    { ...w.params, names: eventNames, from, to, iv: intervalMs },
  );
  return rows.map((r) => ({
    region: r.region, eventSource: r.event_source, eventName: r.event_name, errorCode: r.code, total: Number(r.total), squares: Number(r.squares),
  }));
}

/** Per region: the first recorded event (any kind) in [from, to) — where the baseline's data begins. */
export async function firstEvents(engine: SqlEngine, account: string, from: number, to: number): Promise<Map<string, number>> {
  const rows = await engine.query<{ region: string; first: Num }>(
    `SELECT region, min(event_time) AS first FROM trail_events
     WHERE account = {a:String} AND event_time >= {from:Int64} AND event_time < {to:Int64} GROUP BY region`,
    { a: account, from, to },
  );
  return new Map(rows.map((r) => [r.region, Number(r.first)]));
}

export interface AttributionCount { side: 'insight' | 'baseline'; attribute: AttributeName; value: string; count: number }

/**
 * The top `limit` values of each attribute (caller ARN, user agent, error code — `null` for a
 * success, as AWS writes it) among a series' events, in the insight range and in the baseline range.
 */
export async function attributionCounts(
  engine: SqlEngine, k: SeriesKey, insight: [number, number], baseline: [number, number], limit = 5,
): Promise<AttributionCount[]> {
  const w = scopeWhere({ account: k.account, category: k.category, insightType: k.insightType, allRegions: false, regions: [k.region] });
  const side = (name: string, range: string) => `
    SELECT '${name}' AS side, attr.1 AS attribute, attr.2 AS value, count() AS n FROM trail_events
    ARRAY JOIN [('userIdentityArn', JSONExtractString(record, 'userIdentity', 'arn')), ('userAgent', JSONExtractString(record, 'userAgent')),
                ('errorCode', if(error_code = '', 'null', error_code))] AS attr
    WHERE ${w.sql} AND event_source = {src:String} AND event_name = {name:String}${k.insightType === 'ApiErrorRateInsight' ? ' AND error_code = {code:String}' : ''}
      AND ${range}
    GROUP BY attribute, value ORDER BY attribute, n DESC, value LIMIT {lim:UInt32} BY attribute`;
  const rows = await engine.query<{ side: 'insight' | 'baseline'; attribute: AttributeName; value: string; n: Num }>(
    `${side('insight', 'event_time >= {ifrom:Int64} AND event_time < {ito:Int64}')}
     UNION ALL
     ${side('baseline', 'event_time >= {bf:Int64} AND event_time < {bt:Int64}')}`,
    {
      ...w.params, src: k.eventSource, name: k.eventName, lim: limit, ifrom: insight[0], ito: insight[1], bf: baseline[0], bt: baseline[1],
      ...(k.insightType === 'ApiErrorRateInsight' ? { code: k.errorCode } : {}),
    },
  );
  return rows.map((r) => ({ side: r.side, attribute: r.attribute, value: r.value, count: Number(r.n) }));
}
