/**
 * MetricWidget JSON → SVG: parse and default the widget, turn its metrics into GetMetricData
 * queries, fetch through the injected data source, and draw.
 */
import type { Ctx } from '../../../protocol/service.ts';
import { chartOption, renderSvg } from './chart.ts';
import type { WidgetDataSource } from './data-source.ts';
import { defaultMetricLabels, uniqueNames } from './graph-text.ts';
import { widgetQueries, type SeriesSpec } from './metrics.ts';
import { parseWidget, verticalAnnotations, type WidgetSpec } from './parse-widget.ts';
import { PALETTE, type SeriesData } from './series.ts';
import { parseTimeBound, parseTimeRange, parseTimezone, type TimeRange } from './time-range.ts';

export interface RenderedWidget {
  spec: WidgetSpec;
  svg: string;
}

export async function renderMetricWidget(data: WidgetDataSource, ctx: Ctx, metricWidget: string): Promise<RenderedWidget> {
  const spec = parseWidget(metricWidget);
  const now = ctx.clock.now();
  const range = parseTimeRange(spec.start, spec.end, now);
  const offsetMinutes = parseTimezone(spec.timezone);
  const vertical = verticalAnnotations(spec.verticalRaw, (value, where) => parseTimeBound(value, now, where));
  // One datapoint for the whole range is what setPeriodToTimeRange means; a line of one point is not.
  const periodOverride = spec.setPeriodToTimeRange && spec.view !== 'timeSeries' ? wholeRangePeriod(range) : undefined;
  const { queries, series } = widgetQueries(spec.metrics, { stat: spec.stat, period: spec.period, periodOverride });

  const result = await data.getMetricData(ctx, {
    MetricDataQueries: queries,
    StartTime: new Date(range.start),
    EndTime: new Date(range.end),
    ScanBy: 'TimestampAscending',
  });
  const svg = renderSvg(chartOption({ spec, range, offsetMinutes, series: drawnSeries(series, result.MetricDataResults), vertical }), spec.width, spec.height);
  return { spec, svg };
}

type Result = Awaited<ReturnType<WidgetDataSource['getMetricData']>>['MetricDataResults'][number];

/**
 * One drawn series per returned result, in row order: an expression (SEARCH, an array function)
 * may return several results under one id. A row's own label wins; metric rows without one get
 * the default that tells same-named metrics apart; expressions keep GetMetricData's label.
 */
function drawnSeries(series: SeriesSpec[], results: Result[]): SeriesData[] {
  const defaults = defaultMetricLabels(series.map((s) => (s.label === undefined ? s.metric : undefined)));
  const rows = series.flatMap((s, i) => {
    const own = results.filter((r) => r.Id === s.id);
    // GetMetricData renders a row's label (dynamic labels such as ${AVG}), so prefer its result.
    const name = (r?: Result) => (s.label !== undefined ? r?.Label ?? s.label : defaults[i] ?? r?.Label ?? s.fallbackLabel);
    // A band's two results (upper, then lower) make one drawn series.
    if (s.band && own.length === 2) return [{ s, r: own[0], lower: own[1], name: s.label ?? `${s.id} expected band` }];
    return (own.length > 0 ? own : [undefined]).map((r) => ({ s, r, lower: undefined as Result | undefined, name: name(r) }));
  });
  const names = uniqueNames(rows.map((row) => row.name));
  return rows.map(({ s, r, lower }, i) => ({
    name: names[i]!,
    color: s.color ?? PALETTE[i % PALETTE.length]!,
    yAxis: s.yAxis,
    points: points(r?.Timestamps ?? [], r?.Values ?? []),
    ...(lower && { lower: points(lower.Timestamps ?? [], lower.Values ?? []) }),
  }));
}

/** Whole minutes covering the range: GetMetricData periods above 60 s are multiples of 60. */
const wholeRangePeriod = (r: TimeRange): number => Math.max(60, Math.ceil((r.end - r.start) / 60_000) * 60);

/** Oldest first whatever order the source used; non-finite values (NaN gaps) are dropped. */
function points(timestamps: Date[], values: number[]): [number, number][] {
  const out: [number, number][] = [];
  timestamps.forEach((t, i) => {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out.push([t.getTime(), v]);
  });
  return out.sort((a, b) => a[0] - b[0]);
}
