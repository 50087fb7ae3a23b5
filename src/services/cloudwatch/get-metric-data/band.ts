/**
 * ANOMALY_DETECTION_BAND in GetMetricData: which detector a query Id stands for (its MetricStat, or
 * its expression with every query that expression reads) and that detector's band on the grid.
 */
import type { Ctx } from '../../../protocol/service.ts';
import { MetricMathError } from '../metric-math/errors.ts';
import type { MathSeries } from '../metric-math/types.ts';
import { detectorMetricOf, type DetectorMetric } from '../anomaly/detector.ts';
import { bandAt, type AnomalyModel } from '../anomaly/model.ts';
import type { MetricQuery } from '../inputs.ts';
import type { PlannedQuery } from './queries.ts';
import type { Grid } from './grid.ts';

export interface BandModels {
  modelFor(scope: { account: string; region: string }, metric: DetectorMetric, period: number): Promise<AnomalyModel | undefined>;
}

export async function bandSeries(models: BandModels | undefined, ctx: Ctx, planned: readonly PlannedQuery[], id: string, stddevs: number, grid: Grid): Promise<[MathSeries, MathSeries]> {
  if (models === undefined) throw new MetricMathError('ANOMALY_DETECTION_BAND is not available for this request.');
  const p = planned.find((q) => q.id === id)!;
  const metric = detectorMetricFor(p, planned, ctx.account);
  const model = await models.modelFor(ctx, metric, p.kind === 'stat' ? p.period : grid.period);
  const base = p.kind === 'stat' ? p.input.MetricStat!.Metric.MetricName! : p.id;
  if (model === undefined) {
    // Still training (too little history): a band with no datapoints, as CloudWatch shows it.
    const empty = grid.timestamps.map(() => null);
    return [{ label: `${base} (expected) upper`, values: empty }, { label: `${base} (expected) lower`, values: [...empty] }];
  }
  const b = bandAt(model, grid.timestamps, stddevs);
  return [{ label: `${base} (expected) upper`, values: b.upper }, { label: `${base} (expected) lower`, values: b.lower }];
}

/**
 * For an alarm on a band: the Id the band is drawn for (ANOMALY_DETECTION_BAND's argument) and the
 * detector it uses, or undefined when `bandId` is not an ANOMALY_DETECTION_BAND expression.
 */
export function bandTarget(planned: readonly PlannedQuery[], bandId: string, account: string): { id: string; metric: DetectorMetric } | undefined {
  const p = planned.find((q) => q.id === bandId);
  if (p?.kind !== 'math' || p.expr.kind !== 'call' || p.expr.name !== 'ANOMALY_DETECTION_BAND') return undefined;
  const arg = p.expr.args[0];
  if (arg?.kind !== 'id') return undefined;
  const target = planned.find((q) => q.id === arg.name);
  return target && { id: target.id, metric: detectorMetricFor(target, planned, account) };
}

function detectorMetricFor(p: PlannedQuery, planned: readonly PlannedQuery[], account: string): DetectorMetric {
  if (p.kind === 'stat') {
    const m = p.input.MetricStat!;
    return detectorMetricOf({ SingleMetricAnomalyDetector: { Namespace: m.Metric.Namespace, MetricName: m.Metric.MetricName, Dimensions: m.Metric.Dimensions, Stat: m.Stat } }, account);
  }
  if (p.kind === 'insights') throw new MetricMathError('ANOMALY_DETECTION_BAND cannot be used on a Metrics Insights (SELECT) query.');
  // The expression and every query it reads, directly or not: what a metric math detector stores.
  const byId = new Map(planned.map((q) => [q.id, q]));
  const seen = new Set<string>();
  const visit = (q: PlannedQuery) => {
    if (seen.has(q.id)) return;
    seen.add(q.id);
    if (q.kind === 'math') for (const d of q.deps) visit(byId.get(d)!);
  };
  visit(p);
  const queries: MetricQuery[] = planned.filter((q) => seen.has(q.id))
    .map((q) => ({ ...q.input, ReturnData: q.id === p.id }));
  return detectorMetricOf({ MetricMathAnomalyDetector: { MetricDataQueries: queries } }, account);
}
