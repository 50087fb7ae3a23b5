/**
 * MetricWidget JSON → SVG: parse and default the widget, turn its metrics into GetMetricData
 * queries, fetch through the injected data source, and draw.
 */
import type { Ctx } from '../../../protocol/service.ts';
import { chartOption, renderSvg } from './chart.ts';
import type { WidgetDataSource } from './data-source.ts';
import { widgetQueries } from './metrics.ts';
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
  const byId = new Map(result.MetricDataResults.map((r) => [r.Id, r]));
  const drawn: SeriesData[] = series.map((s, i) => {
    const r = byId.get(s.id);
    return {
      name: s.label ?? r?.Label ?? s.fallbackLabel,
      color: s.color ?? PALETTE[i % PALETTE.length],
      yAxis: s.yAxis,
      points: points(r?.Timestamps ?? [], r?.Values ?? []),
    };
  });
  const svg = renderSvg(chartOption({ spec, range, offsetMinutes, series: drawn, vertical }), spec.width, spec.height);
  return { spec, svg };
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
