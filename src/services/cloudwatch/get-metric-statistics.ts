/** GetMetricStatistics: one metric, its statistics per period (≤ 1,440 datapoints). */
import type { Datapoint } from '@aws-sdk/client-cloudwatch';
import type { Ctx } from '../../protocol/service.ts';
import { dimensionsOf, required } from './inputs.ts';
import { asStandardUnit } from '../../lib/metric-units.ts';
import type { MetricsDeps } from './deps.ts';
import { badValue, combination } from './errors.ts';
import { computeStatistic, needsDistribution, parseStatistic, type Statistic } from './statistics.ts';
import { checkDatapointLimit, checkPeriod, checkRange, effectiveRange, requestedDatapoints } from './time-range.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

export const MAX_STATISTICS_DATAPOINTS = 1440;

export async function getMetricStatistics(deps: MetricsDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'GetMetricStatistics'>): Promise<CallOutput<'cloudwatch', 'GetMetricStatistics'>> {
  const metricName = required(input.MetricName, 'MetricName');
  const startTime = required(input.StartTime, 'StartTime');
  const endTime = required(input.EndTime, 'EndTime');
  const periodS = required(input.Period, 'Period');
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
  checkPeriod(periodS);
  checkRange(startTime, endTime);
  const now = ctx.clock.now();
  const { start, end } = effectiveRange(startTime.getTime(), endTime.getTime(), periodS, now);
  checkDatapointLimit(requestedDatapoints(startTime.getTime(), endTime.getTime(), periodS), MAX_STATISTICS_DATAPOINTS);

  const dimensions = Object.fromEntries(dimensionsOf(input.Dimensions ?? [], 'Dimensions').map((d) => [d.Name, d.Value]));
  const [buckets] = await deps.reader.read({
    account: ctx.account, region: ctx.region,
    series: [{ namespace: required(input.Namespace, 'Namespace'), metricName, dimensions, unit: input.Unit }],
    startTime: start, endTime: end, periodMs: periodS * 1000, now,
    distribution: parsed.some(([, s]) => needsDistribution(s)),
  });
  const datapoints = buckets!.map((b) => {
    const dp: Datapoint = { Timestamp: new Date(b.ts), Unit: input.Unit ?? asStandardUnit(b.unit) };
    for (const name of standard) dp[name] = computeStatistic({ kind: 'standard', name }, b);
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
  return { Label: metricName, Datapoints: datapoints };
}
