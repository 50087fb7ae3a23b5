/** What the renderer draws: resolved series (label, color, axis, points) and the time frame. */
import type { VerticalAnnotation, WidgetSpec } from './parse-widget.ts';
import type { TimeRange } from './time-range.ts';

export interface SeriesData {
  name: string;
  color: string;
  yAxis: 'left' | 'right';
  /** [epoch ms, value], oldest first. */
  points: [number, number][];
  /** An anomaly detection band: `points` are the upper bounds, these the lower ones. */
  lower?: [number, number][];
}

export interface ChartInput {
  spec: WidgetSpec;
  range: TimeRange;
  /** Minutes east of UTC for x-axis labels. */
  offsetMinutes: number;
  series: SeriesData[];
  vertical: VerticalAnnotation[];
}

export { PALETTE, formatValue } from './graph-text.ts';

/** The most recent datapoint, which bar, pie and single-value views show. */
export const latest = (s: SeriesData): number | undefined => s.points[s.points.length - 1]?.[1];
