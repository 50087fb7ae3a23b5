// The Average of many metrics over a range, each as chart points, with GetMetricData's 500-query
// pages: the small per-row charts of the Hosts page (hosts and containers) read their series here.
import { GetMetricDataCommand, type CloudWatchClient, type Metric } from '@aws-sdk/client-cloudwatch';
import { autoPeriod } from '../time.ts';

export type Points = [number, number][];

export async function fetchSeries(cw: CloudWatchClient, metrics: ReadonlyMap<string, Metric>, start: Date, end: Date): Promise<Map<string, Points>> {
  const queries = [...metrics].map(([Id, Metric]) => ({ Id, MetricStat: { Metric, Period: autoPeriod(start, end), Stat: 'Average' } }));
  const out = new Map<string, Points>();
  for (let i = 0; i < queries.length; i += 500) {
    const r = await cw.send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: queries.slice(i, i + 500), ScanBy: 'TimestampAscending' }));
    for (const res of r.MetricDataResults ?? []) out.set(res.Id!, (res.Timestamps ?? []).map((t, j): [number, number] => [t.getTime(), res.Values![j]!]));
  }
  return out;
}
