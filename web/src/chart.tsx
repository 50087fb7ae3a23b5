// Charts with ECharts, imported piecemeal so only what we draw is bundled. The legend is HTML
// rather than ECharts' own: it can be read, clicked and tested like the rest of the page.
import { useEffect, useMemo, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, MarkLineComponent, MarkAreaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { usePrefs } from './prefs.ts';
import { formatValue, PALETTE } from '../../src/services/cloudwatch/widget-image/graph-text.ts';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, MarkLineComponent, MarkAreaComponent, CanvasRenderer]);

export interface Series {
  name: string;
  points: [number, number][];
  /** Defaults to the palette color of the series' position. */
  color?: string;
  /** An anomaly detection band: `points` are the upper bounds, these the lower (same timestamps). */
  band?: [number, number][];
}

export interface ChartProps {
  series: Series[];
  kind?: 'line' | 'bar';
  threshold?: number;
  /** Shades the side of the threshold where an alarm fires, as CloudWatch's alarm graphs do. */
  shade?: 'above' | 'below';
  height?: number;
  range?: { start: Date; end: Date };
  label?: string;
  /** A sparkline: no axes, a thin margin (the values show in the tooltip). */
  compact?: boolean;
  /** Series stacked as areas (Contributor Insights' top contributors). */
  stacked?: boolean;
}

const ALARM_RED = '#d13212';
const axisLabel = { formatter: (v: number) => formatValue(v) };
const tooltip = { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? formatValue(v) : String(v ?? '')) };

/**
 * An ECharts instance on a div, re-created with the theme and given each new option whole;
 * `onClick` receives ECharts' click events (the service map selects a node with it).
 */
export function useECharts(option: EChartsCoreOption, onClick?: (params: unknown) => void) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const click = useRef(onClick);
  click.current = onClick;
  const { theme } = usePrefs();
  useEffect(() => {
    const c = echarts.init(el.current!, theme === 'dark' ? 'dark' : undefined);
    chart.current = c;
    c.on('click', (p) => click.current?.(p));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, [theme]);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option, theme]);
  return el;
}

/** Legend entries toggle their series, like CloudWatch's; colors stay with their series. */
function useLegend(series: Series[]) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const colored = useMemo(() => series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length]! })), [series]);
  const shown = useMemo(() => colored.filter((s) => !hidden.has(s.name)), [colored, hidden]);
  const toggle = (name: string) => setHidden((h) => {
    const next = new Set(h);
    if (!next.delete(name)) next.add(name);
    return next;
  });
  const legend = colored.length < 2 ? null : (
    <ul className="legend" aria-label="Legend">
      {colored.map((s) => (
        <li key={s.name}>
          <button type="button" aria-pressed={!hidden.has(s.name)} onClick={() => toggle(s.name)} title={s.name}>
            <span className="swatch" style={{ background: hidden.has(s.name) ? 'transparent' : s.color, borderColor: s.color }} />{s.name}
          </button>
        </li>
      ))}
    </ul>
  );
  return { shown, legend };
}

export function TimeChart({ series, kind = 'line', threshold, shade, height = 280, range, label = 'chart', compact = false, stacked = false }: ChartProps) {
  const { tz } = usePrefs();
  const { shown, legend } = useLegend(series);
  const option = useMemo(() => ({
    backgroundColor: 'transparent',
    useUTC: tz === 'UTC',
    animation: false,
    grid: compact ? { left: 2, right: 2, top: 4, bottom: 4 } : { left: 50, right: 20, top: 20, bottom: 30 },
    tooltip,
    xAxis: { type: 'time', min: range?.start.getTime(), max: range?.end.getTime(), show: !compact },
    yAxis: { type: 'value', scale: kind === 'line' && !stacked, axisLabel, show: !compact },
    series: [
      ...shown.flatMap((s): Record<string, unknown>[] => (s.band ? bandSeries(s, s.band) : [{
        name: s.name, type: kind, data: s.points, color: s.color, showSymbol: !compact && s.points.length < 40, barMaxWidth: 14, connectNulls: false,
        ...(stacked ? { stack: 'total', ...(kind === 'line' ? { areaStyle: { opacity: 0.55 } } : {}) } : {}),
      }])),
      ...(threshold === undefined ? [] : [thresholdCarrier(threshold, shade, range?.start.getTime() ?? shown[0]?.points[0]?.[0])]),
    ],
  }), [shown, kind, threshold, shade, range, tz, compact, stacked]);
  const el = useECharts(option);
  return (
    <div className="timechart" data-testid={label} style={{ height }}>
      <div ref={el} className="chart" />
      {legend}
    </div>
  );
}

/**
 * An anomaly detection band as CloudWatch draws it: a shaded area between the lower and upper
 * bounds (an invisible lower line with the band's width stacked on it).
 */
function bandSeries(s: Series, lowerPoints: [number, number][]) {
  const lower = new Map(lowerPoints);
  const at = s.points.filter(([t]) => lower.has(t));
  const common = { name: s.name, type: 'line', stack: `band:${s.name}`, color: s.color, showSymbol: false, lineStyle: { opacity: 0 }, connectNulls: false };
  return [
    { ...common, data: at.map(([t]) => [t, lower.get(t)!]) },
    { ...common, data: at.map(([t, upper]) => [t, upper - lower.get(t)!]), areaStyle: { color: s.color, opacity: 0.22 } },
  ];
}

/**
 * The threshold belongs to the chart, not a series: an invisible series carries its line and area.
 * Its one point at the threshold keeps the threshold in view when every point is far below (or
 * above) it, and lets ECharts round the stretched axis as it rounds any other.
 */
function thresholdCarrier(threshold: number, shade: ChartProps['shade'], at: number | undefined) {
  // The far bound runs off the plot and is clipped there, so the area fills to the edge.
  const far = shade === 'above' ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  return {
    name: 'threshold', type: 'line', data: at === undefined ? [] : [[at, threshold]], silent: true,
    showSymbol: false, lineStyle: { opacity: 0 }, tooltip: { show: false },
    markLine: { symbol: 'none', silent: true, label: { position: 'insideEndTop', formatter: () => formatValue(threshold) }, lineStyle: { color: ALARM_RED, type: 'dashed' }, data: [{ yAxis: threshold }] },
    markArea: shade === undefined ? undefined : { silent: true, itemStyle: { color: ALARM_RED, opacity: 0.12 }, data: [[{ yAxis: threshold }, { yAxis: far }]] },
  };
}

export interface CategorySeries {
  name: string;
  values: number[];
}

/** Bars (or lines) per category (e.g. Insights `stats … by field`, a SQL result), one series per aggregate. */
export function CategoryChart({ categories, series, kind = 'bar', height = 280, label = 'chart' }: {
  categories: string[]; series: CategorySeries[]; kind?: 'line' | 'bar'; height?: number; label?: string;
}) {
  const { shown, legend } = useLegend(useMemo(() => series.map((s) => ({ name: s.name, points: s.values.map((v, i): [number, number] => [i, v]) })), [series]));
  const option = useMemo(() => ({
    backgroundColor: 'transparent',
    animation: false,
    grid: { left: 50, right: 20, top: 20, bottom: 30 },
    tooltip: { ...tooltip, axisPointer: { type: kind === 'bar' ? 'shadow' : 'line' } },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', axisLabel },
    series: shown.map((s) => ({ name: s.name, type: kind, color: s.color, data: s.points.map((p) => p[1]), barMaxWidth: 32, showSymbol: s.points.length < 40 })),
  }), [categories, shown, kind]);
  const el = useECharts(option);
  return (
    <div className="timechart" data-testid={label} style={{ height }}>
      <div ref={el} className="chart" />
      {legend}
    </div>
  );
}
