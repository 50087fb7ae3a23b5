/**
 * A detector's history for training, read through GetMetricData (so metric-math detectors train on
 * exactly what their expression returns): one datapoint per period, oldest first.
 */
import type { Ctx } from '../../../protocol/service.ts';
import type { GetMetricDataInput, GetMetricDataResult } from '../get-metric-data/index.ts';
import type { MetricQuery } from '../inputs.ts';
import type { TrainingQuery } from './models.ts';

type GetMetricData = (ctx: Ctx, input: GetMetricDataInput) => Promise<Pick<GetMetricDataResult, 'MetricDataResults'>>;

export function trainingQuery(getMetricData: GetMetricData, ctxFor: (scope: { account: string; region: string }) => Ctx): TrainingQuery {
  return async (scope, metric, range) => {
    const queries: MetricQuery[] = metric.type === 'SINGLE_METRIC'
      ? [{ Id: 'm1', MetricStat: { Metric: { Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: metric.dimensions }, Period: range.period, Stat: metric.stat } }]
      : metric.queries;
    const out = await getMetricData(ctxFor(scope), {
      MetricDataQueries: queries, StartTime: new Date(range.start), EndTime: new Date(range.end), ScanBy: 'TimestampAscending', MaxDatapoints: 1_000_000,
    });
    const r = out.MetricDataResults[0];
    return (r?.Timestamps ?? []).map((t, i) => ({ t: t.getTime(), v: r!.Values![i]! }));
  };
}
