/** What the renderer draws: resolved series (label, color, axis, points) and the time frame. */
import type { VerticalAnnotation, WidgetSpec } from './parse-widget.ts';
import type { TimeRange } from './time-range.ts';

export interface SeriesData {
  name: string;
  color: string;
  yAxis: 'left' | 'right';
  /** [epoch ms, value], oldest first. */
  points: [number, number][];
}

export interface ChartInput {
  spec: WidgetSpec;
  range: TimeRange;
  /** Minutes east of UTC for x-axis labels. */
  offsetMinutes: number;
  series: SeriesData[];
  vertical: VerticalAnnotation[];
}

/** CloudWatch's graph palette (d3 category10), assigned in row order to series without a color. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The most recent datapoint, which bar, pie and single-value views show. */
export const latest = (s: SeriesData): number | undefined => s.points[s.points.length - 1]?.[1];

/** Compact numbers for single values: 1234567 → "1.23M", 12.5 → "12.5", 0.000123 → "0.000123". */
export function formatValue(v: number): string {
  const abs = Math.abs(v);
  for (const [scale, suffix] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (abs >= scale) return `${Number((v / scale).toPrecision(3))}${suffix}`;
  }
  return String(Number(v.toPrecision(abs >= 1 ? 6 : 3)));
}
