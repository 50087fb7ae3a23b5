/**
 * Root-cause hints for band alarms (beyond CloudWatch, in the spirit of Lookout for Metrics): when
 * an alarm on ANOMALY_DETECTION_BAND(m1) goes to ALARM and m1's metric is broken down by one more
 * dimension (Requests{Service=api} and Requests{Service=api, Host=…}), each breakdown series'
 * deviation in the breaching period from its own recent median is measured, and the values that
 * carry most of the deviation are named — in the alarm's StateReasonData (`rootCauseHints`) and
 * in the console.
 *
 * Method: per extra dimension name, deviation_i = value_i(now) − median(value_i over the previous
 * 12 periods); share_i = deviation_i / Σ deviations of the same sign. The dimension whose top value
 * explains the largest share wins; up to three values with ≥ 5 % each are reported. Limits: alarms
 * whose watched query is a MetricStat (not a SEARCH or Metrics Insights expression); up to 200
 * breakdown series.
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
    const watched = c.Metrics?.find((m) => m.MetricStat && m.ReturnData !== false && m.Id !== c.ThresholdMetricId)?.MetricStat;
    if (watched === undefined) return undefined;
    const dims = watched.Metric.Dimensions ?? [];
    const series = (await reader.listSeries({
      account: alarm.account, region: alarm.region, namespace: watched.Metric.Namespace, metricName: watched.Metric.MetricName,
      dimensions: dims.map((d) => ({ name: d.Name, value: d.Value })), now, offset: 0, limit: MAX_SERIES + 1,
    })).filter((s) => Object.keys(s.dimensions).length === dims.length + 1).slice(0, MAX_SERIES);
    if (series.length < 2) return undefined;
    const queries: MetricQuery[] = series.map((s, i) => ({
      Id: `s${i}`,
      MetricStat: { Metric: { Namespace: watched.Metric.Namespace, MetricName: watched.Metric.MetricName,
        Dimensions: Object.entries(s.dimensions).map(([Name, Value]) => ({ Name, Value })) }, Period: watched.Period, Stat: watched.Stat },
    }));
    const periodMs = watched.Period * 1000;
    const end = Math.floor(now / periodMs) * periodMs + periodMs;
    const out = await getMetricData({ ...ctxFor(alarm), requestId: randomUUID() }, {
      MetricDataQueries: queries, StartTime: new Date(end - (BASELINE_PERIODS + 1) * periodMs), EndTime: new Date(end), ScanBy: 'TimestampAscending',
    });
    const byDimension = new Map<string, RootCauseHint[]>();
    out.MetricDataResults.forEach((r, i) => {
      const values = r.Values ?? [];
      if (values.length < 3) return;
      const value = values.at(-1)!;
      const expected = median(values.slice(0, -1));
      const s = series[i]!;
      const extra = Object.keys(s.dimensions).find((k) => !dims.some((d) => d.Name === k))!;
      const list = byDimension.get(extra) ?? [];
      list.push({ dimensions: s.dimensions, value, expected, deviation: value - expected, share: 0 });
      byDimension.set(extra, list);
    });
    let best: RootCauseHint[] | undefined;
    for (const list of byDimension.values()) {
      const total = list.reduce((a, h) => a + h.deviation, 0);
      if (total === 0) continue;
      const hints = list.filter((h) => Math.sign(h.deviation) === Math.sign(total))
        .map((h) => ({ ...h, share: h.deviation / total }))
        .sort((a, b) => b.share - a.share);
      if (best === undefined || (hints[0]?.share ?? 0) > best[0]!.share) best = hints;
    }
    return best?.filter((h) => h.share >= 0.05).slice(0, 3).map((h) => ({ ...h, share: Math.round(h.share * 1000) / 1000 }));
  };
}
