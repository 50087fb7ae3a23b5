// The Insights timeline: ECharts' custom series draws one bar per insight from its Start to its End
// (open insights to now) on a lane per event name and insight type; clicking a bar selects it.
import { useEffect, useMemo, useRef } from 'react';
import * as echarts from 'echarts/core';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { renderLaneBar } from '../lane-bars.ts';
import { usePrefs } from '../prefs.ts';
import { formatTime } from '../time.ts';
import { lanesOf, type InsightBar } from './cloudtrail-insights-data.ts';

echarts.use([GridComponent, TooltipComponent, CanvasRenderer]);

const COLORS: Record<string, string> = { ApiCallRateInsight: '#1f77b4', ApiErrorRateInsight: '#d13212' };

export function InsightsTimeline({ bars, range, selected, onSelect }: {
  bars: InsightBar[]; range: { start: number; end: number }; selected?: string; onSelect: (id: string) => void;
}) {
  const { tz, theme } = usePrefs();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const select = useRef(onSelect);
  select.current = onSelect;
  const lanes = useMemo(() => lanesOf(bars), [bars]);
  const option = useMemo(() => ({
    backgroundColor: 'transparent',
    useUTC: tz === 'UTC',
    animation: false,
    grid: { left: 260, right: 20, top: 10, bottom: 30 },
    tooltip: {
      formatter: (p: { dataIndex: number }) => {
        const b = bars[p.dataIndex];
        return b ? `${b.lane}<br/>${formatTime(b.start)} → ${b.open ? 'ongoing' : formatTime(b.end)}` : '';
      },
    },
    xAxis: { type: 'time', min: range.start, max: range.end },
    yAxis: { type: 'category', data: lanes, inverse: true, axisLabel: { width: 240, overflow: 'truncate' } },
    series: [{
      type: 'custom', renderItem: renderLaneBar, encode: { x: [1, 2], y: 0 },
      data: bars.map((b) => ({
        value: [lanes.indexOf(b.lane), b.start, b.end],
        itemStyle: { color: COLORS[b.insightType] ?? '#888', opacity: selected && selected !== b.id ? 0.45 : 0.9, borderColor: b.open ? '#f5a623' : undefined, borderWidth: b.open ? 2 : 0 },
      })),
    }],
  }), [bars, lanes, range, selected, tz]);
  useEffect(() => {
    const c = echarts.init(el.current!, theme === 'dark' ? 'dark' : undefined);
    chart.current = c;
    c.on('click', (p) => {
      const b = bars[p.dataIndex];
      if (b) select.current(b.id);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, [theme, bars]);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option, theme]);
  return (
    <>
      <div ref={el} className="chart" data-testid="insights-timeline" style={{ height: Math.max(120, 40 + lanes.length * 36) }} />
      <div className="muted" style={{ fontSize: 12 }}>
        <span style={{ color: COLORS.ApiCallRateInsight }}>■</span> ApiCallRateInsight · <span style={{ color: COLORS.ApiErrorRateInsight }}>■</span> ApiErrorRateInsight
        · an outlined bar is still going on · click a bar for its detail
      </div>
    </>
  );
}
