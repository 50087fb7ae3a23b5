/**
 * Root-cause hints for band alarms (beyond CloudWatch, in the spirit of Lookout for Metrics): when
 * an alarm on ANOMALY_DETECTION_BAND(m1) goes to ALARM and m1's metric is broken down by one more
 * dimension (Requests{Service=api} and Requests{Service=api, Host=…}), each breakdown series'
 * deviation in the breaching period from its own recent median is measured, and the values that
 * carry most of the deviation are named — in the alarm's StateReasonData (`rootCauseHints`) and
 * in the console.
 *
 * An alarm on an expression over SEARCH or a Metrics Insights query (SUM(SEARCH(…))) is broken
 * down by the series those return, named by their labels (`{"series": label}`).
 *
 * Method: per extra dimension name (or per SEARCH / Insights query), deviation_i = value_i(now) −
 * median(value_i over the previous 12 periods); share_i = deviation_i / Σ deviations of the same
 * sign. The group whose top value explains the largest share wins; up to three values with ≥ 5 %
 * each are reported. Up to 200 breakdown series.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../../protocol/service.ts';
import type { MetricAlarmRecord } from '../../../store/meta/alarms.ts';
import type { MetricReader } from '../../../store/telemetry/metric-reader.ts';
import type { GetMetricDataInput, GetMetricDataResult } from '../get-metric-data/index.ts';
import type { MetricQuery } from '../inputs.ts';
import { median } from './robust.ts';

export interface RootCauseHint {
  dimensions: Record<string, string>;
  value: number;
  expected: number;
  deviation: number;
  share: number;
}

export type RootCauseFinder = (alarm: MetricAlarmRecord, now: number) => Promise<RootCauseHint[] | undefined>;

type GetMetricData = (ctx: Ctx, input: GetMetricDataInput) => Promise<Pick<GetMetricDataResult, 'MetricDataResults'>>;

const BASELINE_PERIODS = 12;
const MAX_SERIES = 200;

export function rootCauseFinder(reader: Pick<MetricReader, 'listSeries'>, getMetricData: GetMetricData, ctxFor: (s: { account: string; region: string }) => Ctx): RootCauseFinder {
  return async (alarm, now) => {
    const c = alarm.config;
    const metrics = c.Metrics ?? [];
    const watched = metrics.find((m) => m.ReturnData !== false && m.Id !== c.ThresholdMetricId);
    const period = watched?.MetricStat?.Period ?? watched?.Period ?? metrics.find((m) => m.MetricStat)?.MetricStat?.Period ?? 60;
    const groups = watched?.MetricStat ? await breakdownQueries(reader, alarm, watched.MetricStat, now) : searchQueries(metrics);
    if (groups === undefined) return undefined;
    const periodMs = period * 1000;
    const end = Math.floor(now / periodMs) * periodMs + periodMs;
    const out = await getMetricData({ ...ctxFor(alarm), requestId: randomUUID() }, {
      MetricDataQueries: groups.queries, StartTime: new Date(end - (BASELINE_PERIODS + 1) * periodMs), EndTime: new Date(end), ScanBy: 'TimestampAscending',
    });
    const byGroup = new Map<string, RootCauseHint[]>();
    for (const r of out.MetricDataResults) {
      const values = r.Values ?? [];
      const g = groups.describe(r.Id!, r.Label ?? r.Id!);
      if (values.length < 3 || g === undefined) continue;
      const value = values.at(-1)!;
      const expected = median(values.slice(0, -1));
      byGroup.set(g.group, [...(byGroup.get(g.group) ?? []), { dimensions: g.dimensions, value, expected, deviation: value - expected, share: 0 }]);
    }
    return strongest(byGroup);
  };
}

interface Breakdown {
  queries: MetricQuery[];
  /** Which comparison group a returned series belongs to, and the dimensions that name it. */
  describe(id: string, label: string): { group: string; dimensions: Record<string, string> } | undefined;
}

/** The watched metric's series with exactly one more dimension, grouped by that dimension's name. */
async function breakdownQueries(reader: Pick<MetricReader, 'listSeries'>, alarm: MetricAlarmRecord,
  watched: NonNullable<MetricQuery['MetricStat']>, now: number): Promise<Breakdown | undefined> {
  const dims = watched.Metric.Dimensions ?? [];
  const series = (await reader.listSeries({
    account: alarm.account, region: alarm.region, namespace: watched.Metric.Namespace, metricName: watched.Metric.MetricName,
    dimensions: dims.map((d) => ({ name: d.Name, value: d.Value })), now, offset: 0, limit: MAX_SERIES + 1,
  })).filter((s) => Object.keys(s.dimensions).length === dims.length + 1).slice(0, MAX_SERIES);
  if (series.length < 2) return undefined;
  return {
    queries: series.map((s, i) => ({
      Id: `s${i}`,
      MetricStat: { Metric: { Namespace: watched.Metric.Namespace, MetricName: watched.Metric.MetricName,
        Dimensions: Object.entries(s.dimensions).map(([Name, Value]) => ({ Name, Value })) }, Period: watched.Period, Stat: watched.Stat },
    })),
    describe: (id) => {
      const s = series[Number(id.slice(1))]!;
      return { group: Object.keys(s.dimensions).find((k) => !dims.some((d) => d.Name === k))!, dimensions: s.dimensions };
    },
  };
}

/** An alarm on an expression over SEARCH or Metrics Insights: the series those queries return. */
function searchQueries(metrics: readonly MetricQuery[]): Breakdown | undefined {
  const groups = metrics.filter((m) => typeof m.Expression === 'string' && (/\bSEARCH\s*\(/.test(m.Expression) || /^\s*SELECT\s/i.test(m.Expression)));
  if (groups.length === 0) return undefined;
  const needed = new Set(groups.map((g) => g.Id));
  return {
    // Every query the groups may read, but only the groups' series come back.
    queries: metrics.filter((m) => !/ANOMALY_DETECTION_BAND/.test(m.Expression ?? '')).map((m) => ({ ...m, ReturnData: needed.has(m.Id) })),
    describe: (id, label) => (needed.has(id) ? { group: id, dimensions: { series: label } } : undefined),
  };
}

/** The group whose top series explains the largest share; up to three series with ≥ 5 % each. */
function strongest(byGroup: Map<string, RootCauseHint[]>): RootCauseHint[] | undefined {
  let best: RootCauseHint[] | undefined;
  for (const list of byGroup.values()) {
    if (list.length < 2) continue;
    const total = list.reduce((a, h) => a + h.deviation, 0);
    if (total === 0) continue;
    const hints = list.filter((h) => Math.sign(h.deviation) === Math.sign(total))
      .map((h) => ({ ...h, share: h.deviation / total }))
      .sort((a, b) => b.share - a.share);
    if (best === undefined || (hints[0]?.share ?? 0) > best[0]!.share) best = hints;
  }
  return best?.filter((h) => h.share >= 0.05).slice(0, 3).map((h) => ({ ...h, share: Math.round(h.share * 1000) / 1000 }));
}
