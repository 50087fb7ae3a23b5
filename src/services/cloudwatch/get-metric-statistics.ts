/** GetMetricStatistics: one metric, its statistics per period (≤ 1,440 datapoints). */
import type { Ctx } from '../../protocol/service.ts';
import type { MetricsDeps } from './deps.ts';
import { badValue, combination } from './errors.ts';
import { computeStatistic, needsDistribution, parseStatistic, type Statistic } from './statistics.ts';
import { checkDatapointLimit, checkPeriod, checkRange, effectiveRange, requestedDatapoints } from './time-range.ts';

export const MAX_STATISTICS_DATAPOINTS = 1440;

export interface GetMetricStatisticsInput {
  Namespace: string;
  MetricName: string;
  Dimensions?: { Name: string; Value: string }[];
  StartTime: Date;
  EndTime: Date;
  Period: number;
  Statistics?: string[];
  ExtendedStatistics?: string[];
  Unit?: string;
}

export async function getMetricStatistics(deps: MetricsDeps, ctx: Ctx, input: GetMetricStatisticsInput) {
  const standard = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (standard.length === 0 && extended.length === 0) {
    throw combination('Must specify either Statistics or ExtendedStatistics, but not both.');
  }
  if (standard.length > 0 && extended.length > 0) {
    throw combination('Must specify either Statistics or ExtendedStatistics, but not both.');
  }
  const parsed: [string, Statistic][] = extended.map((s, i) => {
    const stat = parseStatistic(s);
    if (stat === undefined || stat.kind === 'standard') throw badValue(s, `ExtendedStatistics.member.${i + 1}`);
    return [s, stat];
  });
  checkPeriod(input.Period);
  checkRange(input.StartTime, input.EndTime);
  const now = ctx.clock.now();
  const { start, end } = effectiveRange(input.StartTime.getTime(), input.EndTime.getTime(), input.Period, now);
  checkDatapointLimit(requestedDatapoints(input.StartTime.getTime(), input.EndTime.getTime(), input.Period), MAX_STATISTICS_DATAPOINTS);

  const dimensions = Object.fromEntries((input.Dimensions ?? []).map((d) => [d.Name, d.Value]));
  const [buckets] = await deps.reader.read({
    account: ctx.account, region: ctx.region,
    series: [{ namespace: input.Namespace, metricName: input.MetricName, dimensions, unit: input.Unit }],
    startTime: start, endTime: end, periodMs: input.Period * 1000, now,
    distribution: parsed.some(([, s]) => needsDistribution(s)),
  });
  const datapoints = buckets!.map((b) => {
    const dp: Record<string, unknown> = { Timestamp: new Date(b.ts), Unit: input.Unit ?? b.unit };
    for (const name of standard) dp[name] = computeStatistic({ kind: 'standard', name: name as 'Sum' }, b);
    if (parsed.length > 0) {
      const ext: Record<string, number> = {};
      for (const [name, s] of parsed) {
        const v = computeStatistic(s, b);
        if (v !== undefined) ext[name] = v;
      }
      dp.ExtendedStatistics = ext;
    }
    return dp;
  });
  return { Label: input.MetricName, Datapoints: datapoints };
}
