/**
 * GetMetricData: reads every MetricStat query (grouped by period, one SQL each), evaluates the
 * expressions in dependency order (metric math, SEARCH, Metrics Insights), then shapes the
 * returned queries into MetricDataResults with labels, ScanBy order and MaxDatapoints paging.
 */
import type { MessageData, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { Ctx } from '../../../protocol/service.ts';
import { metricQueryOf, required } from '../inputs.ts';
import type { MetricsDeps } from '../deps.ts';
import { evaluate } from '../metric-math/evaluate.ts';
import { MetricMathError } from '../metric-math/errors.ts';
import type { MathSeries, MathValue } from '../metric-math/types.ts';
import { badValue } from '../errors.ts';
import { checkRange } from '../time-range.ts';
import { makeGrid, realign, type Grid } from './grid.ts';
import { planQueries, validationError, type PlannedQuery } from './queries.ts';
import { readStatSeries } from './read.ts';
import { searchSeries } from './search.ts';
import { bandSeries } from './band.ts';
import { RuleMetricError } from '../insight-rules/rule-metric.ts';
import { renderLabel, type SeriesProps } from './labels.ts';
import { DEFAULT_MAX_DATAPOINTS, decodeCursor, encodeCursor, requestDigest } from './paging.ts';
import type { CallInput } from '../../../protocol/operations.ts';

export type GetMetricDataInput = CallInput<'cloudwatch', 'GetMetricData'>;

/** GetMetricData's output with the members it always has (what alarms and widget images read). */
export interface GetMetricDataResult {
  MetricDataResults: MetricDataResult[];
  Messages: MessageData[];
  NextToken?: string;
}

interface Evaluated {
  value: MathValue;
  grid: Grid;
}

interface ResultSeries {
  id: string;
  label: string;
  timestamps: number[];
  values: number[];
}

export async function getMetricData(deps: MetricsDeps, ctx: Ctx, input: GetMetricDataInput): Promise<GetMetricDataResult> {
  const queries = required(input.MetricDataQueries, 'MetricDataQueries').map((q, i) => metricQueryOf(q, `MetricDataQueries.member.${i + 1}`));
  const other = queries.find((q) => q.AccountId !== undefined && q.AccountId !== ctx.account);
  if (other !== undefined) {
    throw validationError(`Query ${other.Id} asks for account ${other.AccountId}: cross-account observability is not supported by this server.`);
  }
  const planned = planQueries(queries);
  const start = required(input.StartTime, 'StartTime');
  const end = required(input.EndTime, 'EndTime');
  checkRange(start, end);
  const max = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (!Number.isInteger(max) || max < 1) throw badValue(max, 'MaxDatapoints');
  const tz = input.LabelOptions?.Timezone;
  if (tz !== undefined && !/^[+-]\d{4}$/.test(tz)) throw badValue(tz, 'LabelOptions.Timezone');
  const digest = requestDigest({ ...input, NextToken: undefined });
  const offset = input.NextToken === undefined ? 0 : decodeCursor(input.NextToken, digest).offset;

  const now = ctx.clock.now();
  const startTime = start.getTime();
  const endTime = end.getTime();
  const firstStat = planned.find((p) => p.kind === 'stat');
  const defaultPeriod = firstStat?.period ?? planned.find((p) => p.period !== undefined)?.period ?? 60;
  const grids = new Map<number, Grid>();
  const gridFor = (period: number) => {
    let g = grids.get(period);
    if (g === undefined) grids.set(period, (g = makeGrid(startTime, endTime, period, now)));
    return g;
  };
  const props = new WeakMap<MathSeries, SeriesProps>();
  const results = new Map<string, Evaluated>();

  await readMetricStats(deps, ctx, planned, gridFor, now, props, results);

  const expressionIds = new Set(planned.filter((p) => p.kind !== 'stat').map((p) => p.id));
  const metricPeriods = new Map(planned.flatMap((p) => (p.kind === 'stat' ? [[p.id, p.period] as const] : [])));
  for (const p of planned) {
    if (p.kind === 'stat') continue;
    if (p.kind === 'insights') {
      const grid = gridFor(p.period ?? defaultPeriod);
      const series = await deps.insights(ctx, p.query, { startTime: grid.start, endTime: grid.end, period: grid.period });
      const aligned = series.map((s) => {
        const at = new Map(s.timestamps.map((t, i) => [t, s.values[i]!]));
        return { id: p.id, label: s.label, values: grid.timestamps.map((t) => at.get(t) ?? null) } as MathSeries;
      });
      results.set(p.id, { value: { kind: 'array', series: aligned }, grid });
      continue;
    }
    const period = p.period ?? periodOfDeps(p.deps, results) ?? defaultPeriod;
    const grid = gridFor(period);
    const metrics = new Map<string, MathValue>();
    for (const q of planned) {
      const r = results.get(q.id);
      if (r !== undefined) metrics.set(q.id, onGrid(r, grid));
    }
    try {
      const value = await evaluate(p.expr, {
        timestamps: grid.timestamps, period, metrics, expressionIds, metricPeriods,
        search: (req) => searchSeries(deps, ctx, req, grid, now, props),
        band: (id, k) => bandSeries(deps.anomaly, ctx, planned, id, k, grid),
        insightRule: (rule, metric) => insightRuleValues(deps, ctx, rule, metric, grid),
      });
      results.set(p.id, { value, grid });
    } catch (e) {
      if (e instanceof MetricMathError) throw validationError(`Error in expression ${p.id}: ${e.message}`);
      throw e;
    }
  }

  const series = planned
    .slice()
    .sort((a, b) => queries.indexOf(a.input) - queries.indexOf(b.input))
    .filter((p) => p.input.ReturnData !== false)
    .flatMap((p) => toResultSeries(p, results.get(p.id)!, props, ctx, tz));
  return page(series, offset, max, input.ScanBy ?? 'TimestampDescending', digest);
}

async function readMetricStats(deps: MetricsDeps, ctx: Ctx, planned: PlannedQuery[], gridFor: (p: number) => Grid,
  now: number, props: WeakMap<MathSeries, SeriesProps>, results: Map<string, Evaluated>): Promise<void> {
  // One read per (period, statistic) so percentiles fetch distributions only where asked.
  const groups = new Map<string, Extract<PlannedQuery, { kind: 'stat' }>[]>();
  for (const p of planned) {
    if (p.kind !== 'stat') continue;
    const key = `${p.period}/${p.input.MetricStat!.Stat}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  await Promise.all([...groups.values()].map(async (qs) => {
    const grid = gridFor(qs[0]!.period);
    const values = await readStatSeries(deps, ctx, qs.map((q) => {
      const m = q.input.MetricStat!;
      return {
        namespace: m.Metric.Namespace!, metricName: m.Metric.MetricName!,
        dimensions: Object.fromEntries((m.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value])), unit: m.Unit,
      };
    }), qs[0]!.stat, grid, grid, now);
    qs.forEach((q, i) => {
      const m = q.input.MetricStat!;
      const s: MathSeries = { id: q.id, label: m.Metric.MetricName!, values: values[i]! };
      props.set(s, {
        namespace: m.Metric.Namespace, metricName: m.Metric.MetricName, period: m.Period, stat: m.Stat, region: ctx.region,
        dimensions: Object.fromEntries((m.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value])),
      });
      results.set(q.id, { value: { kind: 'series', series: s }, grid });
    });
  }));
}

async function insightRuleValues(deps: MetricsDeps, ctx: Ctx, rule: string, metric: string, grid: Grid): Promise<(number | null)[]> {
  if (deps.ruleMetric === undefined) throw new MetricMathError('INSIGHT_RULE_METRIC is not available for this request.');
  try {
    return await deps.ruleMetric(ctx, rule, metric, grid);
  } catch (e) {
    if (e instanceof RuleMetricError) throw new MetricMathError(e.message);
    throw e;
  }
}

function periodOfDeps(deps: string[], results: Map<string, Evaluated>): number | undefined {
  for (const d of deps) {
    const r = results.get(d);
    if (r !== undefined) return r.grid.period;
  }
  return undefined;
}

function onGrid(r: Evaluated, grid: Grid): MathValue {
  if (r.grid === grid || r.value.kind === 'scalar') return r.value;
  const move = (s: MathSeries): MathSeries => ({ ...s, values: realign(s.values, r.grid, grid) });
  return r.value.kind === 'series' ? { kind: 'series', series: move(r.value.series) }
    : { kind: 'array', series: r.value.series.map(move) };
}

function toResultSeries(p: PlannedQuery, r: Evaluated, props: WeakMap<MathSeries, SeriesProps>, ctx: Ctx, tz?: string): ResultSeries[] {
  if (r.value.kind === 'scalar') {
    throw validationError(`Error in expression ${p.id}: the expression returns a single value, not a time series; ` +
      'wrap it in TIME_SERIES() to return it.');
  }
  const list = r.value.kind === 'series' ? [r.value.series] : r.value.series;
  return list.map((s) => {
    const timestamps: number[] = [];
    const values: number[] = [];
    s.values.forEach((v, i) => {
      if (v !== null && Number.isFinite(v)) { timestamps.push(r.grid.timestamps[i]!); values.push(v); }
    });
    const defaultLabel = p.kind === 'math' && r.value.kind === 'series' ? p.id : s.label;
    const label = p.input.Label === undefined ? defaultLabel
      : renderLabel({ template: p.input.Label, defaultLabel: s.label, props: props.get(s) ?? { region: ctx.region }, timestamps, values, timezone: tz });
    return { id: p.id, label, timestamps, values };
  });
}

function page(series: ResultSeries[], offset: number, max: number, scanBy: string, digest: string): GetMetricDataResult {
  let skip = offset;
  let room = max;
  let more = false;
  const results = series.map((s): MetricDataResult => {
    const desc = scanBy === 'TimestampDescending';
    const ts = desc ? [...s.timestamps].reverse() : s.timestamps;
    const vs = desc ? [...s.values].reverse() : s.values;
    const from = Math.min(skip, ts.length);
    skip -= from;
    const take = Math.min(room, ts.length - from);
    room -= take;
    const partial = from + take < ts.length;
    if (partial) more = true;
    return {
      Id: s.id,
      Label: s.label,
      Timestamps: ts.slice(from, from + take).map((t) => new Date(t)),
      Values: vs.slice(from, from + take),
      StatusCode: partial ? 'PartialData' : 'Complete',
      Messages: [],
    };
  });
  return { MetricDataResults: results, Messages: [], NextToken: more ? encodeCursor({ offset: offset + max }, digest) : undefined };
}
