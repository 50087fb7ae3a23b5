/**
 * The datapoints a metric alarm evaluates, fetched through GetMetricData (so metric-math alarms
 * work like any other): one value per period over the evaluation range, null where none.
 * Injected into the runner as a function, Prometheus-style, so the evaluator never sees storage.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../../protocol/service.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { MetricAlarmConfig, MetricAlarmRecord } from '../../../store/meta/alarms.ts';
import type { GetMetricDataInput, GetMetricDataResult } from '../get-metric-data/index.ts';
import { required, type MetricQuery } from '../inputs.ts';
import type { Datapoint } from './evaluation/types.ts';
import { inPartitionOf } from '../../../lib/arn.ts';

export type AlarmQuery = (alarm: MetricAlarmRecord, range: { start: number; end: number; periods: number }, period: number) => Promise<Datapoint[]>;

type GetMetricData = (ctx: Ctx, input: GetMetricDataInput) => Promise<Pick<GetMetricDataResult, 'MetricDataResults'>>;

const SAMPLES = 'osprey_samples';

/** A single-metric alarm's metric as a GetMetricData query (validation made Period present). */
const singleMetricQuery = (c: MetricAlarmConfig, id: string, stat: string): MetricQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions ?? [] },
    Period: required(c.Period, 'Period'), Stat: stat, ...(c.Unit ? { Unit: c.Unit } : {}) },
});

export function getMetricDataQuery(getMetricData: GetMetricData, clock: Clock, log: Logger): AlarmQuery {
  return async (alarm, range, period) => {
    const c = alarm.config;
    const queries: MetricQuery[] = c.Metrics ? [...c.Metrics] : [singleMetricQuery(c, 'm1', required(c.ExtendedStatistic ?? c.Statistic, 'Statistic'))];
    // Percentile alarms need each period's sample count (EvaluateLowSampleCountPercentile).
    if (!c.Metrics && c.ExtendedStatistic) queries.push(singleMetricQuery(c, SAMPLES, 'SampleCount'));
    const ctx: Ctx = {
      account: alarm.account, region: alarm.region, principalArn: inPartitionOf('arn:aws:iam::aws:role/cloudwatch-alarms', alarm.region),
      accessKeyId: '', requestId: randomUUID(), clock, log,
    };
    const out = await getMetricData(ctx, { MetricDataQueries: queries, StartTime: new Date(range.start), EndTime: new Date(range.end), ScanBy: 'TimestampAscending' });
    const bandId = c.ThresholdMetricId;
    const main = out.MetricDataResults.find((r) => r.Id !== SAMPLES && r.Id !== bandId);
    const samples = out.MetricDataResults.find((r) => r.Id === SAMPLES);
    // ANOMALY_DETECTION_BAND returns the upper bound, then the lower.
    const [upper, lower] = bandId === undefined ? [] : out.MetricDataResults.filter((r) => r.Id === bandId);
    const at = (r: typeof main) => new Map((r?.Timestamps ?? []).map((t, i) => [t.getTime(), r!.Values![i]!]));
    const values = at(main);
    const counts = at(samples);
    const uppers = at(upper);
    const lowers = at(lower);
    return Array.from({ length: range.periods }, (_, i) => {
      const ts = range.start + i * period * 1000;
      const dp: Datapoint = { timestamp: ts, value: values.get(ts) ?? null };
      const n = counts.get(ts);
      if (n !== undefined) dp.sampleCount = n;
      const u = uppers.get(ts);
      const l = lowers.get(ts);
      if (u !== undefined) dp.upper = u;
      if (l !== undefined) dp.lower = l;
      return dp;
    });
  };
}
