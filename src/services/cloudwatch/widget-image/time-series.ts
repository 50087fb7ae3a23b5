/**
 * The timeSeries view: a time x axis over the requested range, left and right y axes, one line (or
 * stacked area) per series, and the annotations as mark lines and areas. Times are shifted by the
 * widget's timezone offset and labelled in UTC, so the server's own zone never shows.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { AxisSpec, HorizontalAnnotation, VerticalAnnotation } from './parse-widget.ts';
import { formatValue, type ChartInput } from './series.ts';
import type { TimeRange } from './time-range.ts';

type MarkLineItem = NonNullable<NonNullable<LineSeriesOption['markLine']>['data']>[number];
type MarkAreaItem = NonNullable<NonNullable<LineSeriesOption['markArea']>['data']>[number];

const ANNOTATION_COLOR = '#d62728';

/** An anomaly detection band: an invisible lower line with the band's width stacked on it, shaded. */
function bandLines(s: ChartInput['series'][number], shift: number): LineSeriesOption[] {
  const lower = new Map(s.lower);
  const at = s.points.filter(([t]) => lower.has(t));
  const common: LineSeriesOption = {
    type: 'line', name: s.name, yAxisIndex: s.yAxis === 'right' ? 1 : 0, color: s.color, stack: `band:${s.name}`, showSymbol: false, lineStyle: { opacity: 0 },
  };
  return [
    { ...common, data: at.map(([t]) => [t + shift, lower.get(t)!]) },
    { ...common, data: at.map(([t, upper]) => [t + shift, upper - lower.get(t)!]), areaStyle: { color: s.color, opacity: 0.25 } },
  ];
}

export function timeSeriesOption(input: ChartInput): EChartsOption {
  const { spec, range, series } = input;
  const shift = input.offsetMinutes * 60_000;
  const usesRight = series.some((s) => s.yAxis === 'right') || spec.horizontal.some((a) => a.yAxis === 'right');

  const lines: LineSeriesOption[] = series.flatMap((s): LineSeriesOption[] => (s.lower ? bandLines(s, shift) : [{
    type: 'line',
    name: s.name,
    yAxisIndex: s.yAxis === 'right' ? 1 : 0,
    data: s.points.map(([t, v]) => [t + shift, v]),
    color: s.color,
    // A lone datapoint has no line to draw; show it as a dot.
    showSymbol: s.points.length === 1,
    symbolSize: 4,
    lineStyle: { width: 1.5 },
    ...(spec.stacked && { stack: s.yAxis, areaStyle: { opacity: 0.35 } }),
  }]));

  // Annotations ride on data-less carrier series (one per axis), so they show even without data.
  const carriers = (['left', 'right'] as const)
    .filter((side) => side === 'left' || usesRight)
    .map((side): LineSeriesOption => ({
      type: 'line',
      name: `__annotations_${side}`,
      yAxisIndex: side === 'right' ? 1 : 0,
      data: [],
      silent: true,
      markLine: {
        symbol: 'none',
        silent: true,
        data: [
          ...spec.horizontal.filter((a) => a.yAxis === side).flatMap(horizontalLines),
          ...(side === 'left' ? input.vertical.flatMap((a) => verticalLines(a, shift)) : []),
        ],
      },
      markArea: {
        silent: true,
        data: [
          ...spec.horizontal.filter((a) => a.yAxis === side).flatMap(horizontalArea),
          ...(side === 'left' ? input.vertical.flatMap((a) => verticalArea(a, range, shift)) : []),
        ],
      },
    }));

  return {
    xAxis: {
      type: 'time',
      min: range.start + shift,
      max: range.end + shift,
      axisLabel: { hideOverlap: true, color: '#545b64' },
      splitLine: { show: false },
    },
    yAxis: [yAxis(spec.yAxis.left, annotationValues(spec.horizontal, 'left')), { ...yAxis(spec.yAxis.right, annotationValues(spec.horizontal, 'right')), show: usesRight }],
    series: [...lines, ...carriers],
  };
}

const annotationValues = (hs: HorizontalAnnotation[], side: 'left' | 'right'): number[] =>
  hs.filter((a) => a.yAxis === side).flatMap((a) => (a.to === undefined ? [a.value] : [a.value, a.to]));

type Extent = { min: number; max: number };

/**
 * Axis bounds: the widget's if set; otherwise ECharts' own, stretched (with a 5% margin) to take in
 * annotation values outside the data, as CloudWatch does so a threshold line is always visible.
 */
function yAxis(a: AxisSpec, annotations: number[]) {
  const hi = Math.max(...annotations);
  const lo = Math.min(...annotations);
  const margin = (e: Extent) => (Math.max(hi, e.max) - Math.min(lo, e.min)) * 0.05;
  return {
    type: 'value' as const,
    min: a.min ?? (annotations.length === 0 ? undefined : (e: Extent) => (lo < e.min ? lo - margin(e) : undefined)),
    max: a.max ?? (annotations.length === 0 ? undefined : (e: Extent) => (hi > e.max ? hi + margin(e) : undefined)),
    name: a.label,
    nameLocation: 'middle' as const,
    nameGap: 40,
    axisLabel: { color: '#545b64', formatter: (v: number) => formatValue(v) },
    splitLine: { lineStyle: { color: '#e9ebed' } },
  };
}

function lineLabel(label: string | undefined, color: string) {
  return label === undefined ? { show: false } : { show: true, formatter: label, color, position: 'insideEndTop' as const };
}

function horizontalLines(a: HorizontalAnnotation): MarkLineItem[] {
  const color = a.color ?? ANNOTATION_COLOR;
  const edges = a.to === undefined ? [a.value] : [a.value, a.to];
  return edges.map((v, i) => ({ yAxis: v, lineStyle: { color, type: 'solid' as const, width: 1 }, label: lineLabel(i === 0 ? a.label : undefined, color) }));
}

function horizontalArea(a: HorizontalAnnotation): MarkAreaItem[] {
  const style = { itemStyle: { color: a.color ?? ANNOTATION_COLOR, opacity: 0.12 } };
  if (a.to !== undefined) return [[{ yAxis: a.value, ...style }, { yAxis: a.to }]];
  // Fills run to the edge of the plot: far-off bounds, clipped by the grid.
  if (a.fill === 'above') return [[{ yAxis: a.value, ...style }, { yAxis: Number.MAX_SAFE_INTEGER }]];
  if (a.fill === 'below') return [[{ yAxis: -Number.MAX_SAFE_INTEGER, ...style }, { yAxis: a.value }]];
  return [];
}

function verticalLines(a: VerticalAnnotation, shift: number): MarkLineItem[] {
  const color = a.color ?? ANNOTATION_COLOR;
  const edges = a.to === undefined ? [a.value] : [a.value, a.to];
  return edges.map((t, i) => ({ xAxis: t + shift, lineStyle: { color, type: 'solid' as const, width: 1 }, label: lineLabel(i === 0 ? a.label : undefined, color) }));
}

function verticalArea(a: VerticalAnnotation, range: TimeRange, shift: number): MarkAreaItem[] {
  const style = { itemStyle: { color: a.color ?? ANNOTATION_COLOR, opacity: 0.12 } };
  if (a.to !== undefined) return [[{ xAxis: a.value + shift, ...style }, { xAxis: a.to + shift }]];
  if (a.fill === 'before') return [[{ xAxis: range.start + shift, ...style }, { xAxis: a.value + shift }]];
  if (a.fill === 'after') return [[{ xAxis: a.value + shift, ...style }, { xAxis: range.end + shift }]];
  return [];
}
