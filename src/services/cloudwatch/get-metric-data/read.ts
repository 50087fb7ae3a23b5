/** Reads metric series at one statistic and period, as values on an evaluation grid. */
import type { Ctx } from '../../../protocol/service.ts';
import type { MetricsDeps } from '../deps.ts';
import type { SeriesRef } from '../../../store/telemetry/metric-reader.ts';
import { computeStatistic, needsDistribution, type Statistic } from '../statistics.ts';
import { realign, type Grid } from './grid.ts';

/** The statistics computed from a bucket's sample count and sum alone. */
const SUM_AND_COUNT = new Set(['SampleCount', 'Sum', 'Average']);

/**
 * One value array per series: read on `own` (the statistic's period grid) and placed on `target`.
 */
export async function readStatSeries(deps: MetricsDeps, ctx: Ctx, series: SeriesRef[], stat: Statistic,
  own: Grid, target: Grid, now: number): Promise<(number | null)[][]> {
  const buckets = await deps.reader.read({
    account: ctx.account, region: ctx.region, series,
    startTime: own.start, endTime: own.end, periodMs: own.period * 1000, now,
    distribution: needsDistribution(stat),
    sumAndCountOnly: stat.kind === 'standard' && SUM_AND_COUNT.has(stat.name),
  });
  return buckets.map((bs) => {
    const values: (number | null)[] = new Array(own.timestamps.length).fill(null);
    const p = own.period * 1000;
    for (const b of bs) {
      const i = Math.round((b.ts - own.start) / p);
      if (i >= 0 && i < values.length) values[i] = computeStatistic(stat, b) ?? null;
    }
    return realign(values, own, target);
  });
}
