// Time-series charts with ECharts, imported piecemeal so only what we draw is bundled.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { usePrefs } from './prefs.ts';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, DataZoomComponent, CanvasRenderer]);

export interface Series {
  name: string;
  points: [number, number][];
}

export interface ChartProps {
  series: Series[];
  kind?: 'line' | 'bar';
  threshold?: number;
  height?: number;
  range?: { start: Date; end: Date };
  label?: string;
}

export function TimeChart({ series, kind = 'line', threshold, height = 280, range, label = 'chart' }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const { theme, tz } = usePrefs();

  useEffect(() => {
    const c = echarts.init(el.current!, theme === 'dark' ? 'dark' : undefined);
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption(
      {
        backgroundColor: 'transparent',
        useUTC: tz === 'UTC',
        animation: false,
        grid: { left: 50, right: 20, top: 20, bottom: series.length > 1 ? 50 : 30 },
        tooltip: { trigger: 'axis' },
        legend: series.length > 1 ? { bottom: 0, type: 'scroll' } : undefined,
        xAxis: { type: 'time', min: range?.start.getTime(), max: range?.end.getTime() },
        // Keep the threshold in view even when every point is far below (or above) it.
        yAxis: {
          type: 'value', scale: kind === 'line',
          ...(threshold !== undefined && {
            max: (v: { max: number }) => Math.max(v.max, threshold), min: (v: { min: number }) => Math.min(v.min, threshold),
          }),
        },
        series: series.map((s, i) => ({
          name: s.name,
          type: kind,
          data: s.points,
          showSymbol: s.points.length < 40,
          barMaxWidth: 14,
          connectNulls: false,
          // The threshold belongs to the chart, not a series: draw it once, on the first.
          markLine: i === 0 && threshold !== undefined
            ? { symbol: 'none', silent: true, lineStyle: { color: '#d13212', type: 'dashed' }, data: [{ yAxis: threshold, name: 'threshold' }] }
            : undefined,
        })),
      },
      { notMerge: true },
    );
  }, [series, kind, threshold, range, tz, theme]);

  return <div ref={el} className="chart" style={{ height }} data-testid={label} />;
}
