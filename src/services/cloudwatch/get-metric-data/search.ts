/**
 * SEARCH() over this account's metrics: candidate series come from the series index (narrowed to
 * the schema's namespace when the query has one), the query matches them in process, and the
 * matching series (at most 500, as CloudWatch returns) are read with the requested statistic.
 */
import type { Ctx } from '../../../protocol/service.ts';
import type { MathSeries, SearchRequest } from '../metric-math/types.ts';
import { matchesSearch } from '../metric-math/search/match.ts';
import { MetricMathError } from '../metric-math/errors.ts';
import type { MetricsDeps } from '../deps.ts';
import { parseStatistic } from '../statistics.ts';
import { checkPeriod } from '../time-range.ts';
import { makeGrid, type Grid } from './grid.ts';
import { readStatSeries } from './read.ts';
import type { SeriesProps } from './labels.ts';

export const MAX_SEARCH_RESULTS = 500;
const CANDIDATES = 100_000;

export async function searchSeries(deps: MetricsDeps, ctx: Ctx, req: SearchRequest, grid: Grid,
  now: number, props: WeakMap<MathSeries, SeriesProps>): Promise<MathSeries[]> {
  const stat = parseStatistic(req.statistic);
  if (stat === undefined) throw new MetricMathError(`Invalid statistic ${req.statistic} in SEARCH.`);
  try {
    checkPeriod(req.period);
  } catch {
    throw new MetricMathError(`Invalid period ${req.period} in SEARCH.`);
  }
  const candidates = await deps.reader.listSeries({
    account: ctx.account, region: ctx.region, namespace: req.query.schema?.namespace,
    now, offset: 0, limit: CANDIDATES,
  });
  const matches = candidates.filter((m) => matchesSearch(req.query, m)).slice(0, MAX_SEARCH_RESULTS);
  if (matches.length === 0) return [];
  const own = req.period === grid.period ? grid : makeGrid(grid.start, grid.end, req.period, now);
  const read = await readStatSeries(deps, ctx, matches.map((m) => ({ ...m })), stat, own, grid, now);
  return read.map((values, i) => {
    const m = matches[i]!;
    const dims = Object.values(m.dimensions);
    const series: MathSeries = { label: dims.length > 0 ? dims.join(' ') : m.metricName, values };
    props.set(series, { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions,
      period: req.period, stat: req.statistic, region: ctx.region });
    return series;
  });
}
