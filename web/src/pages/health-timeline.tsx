// The incident timeline: one lane per component, one bar per incident from its start to its end
// (open incidents run to now, outlined), on the shared ECharts hook.
import { useMemo } from 'react';
import { useECharts } from '../chart.tsx';
import { renderLaneBar } from '../lane-bars.ts';
import { usePrefs } from '../prefs.ts';
import { formatTime } from '../time.ts';
import { COMPONENTS, componentOf, typeLabel, type Incident } from './health-api.ts';

const OPEN_COLOR = '#d13212';
const CLOSED_COLOR = '#e07b39';

export function HealthTimeline({ incidents, range }: { incidents: Incident[]; range: { start: number; end: number } }) {
  const { tz } = usePrefs();
  const lanes = COMPONENTS.map((c) => c.name);
  const shown = useMemo(() => incidents.filter((i) => (i.end ?? range.end) >= range.start && i.start <= range.end), [incidents, range]);
  const option = useMemo(() => ({
    backgroundColor: 'transparent',
    useUTC: tz === 'UTC',
    animation: false,
    grid: { left: 170, right: 20, top: 10, bottom: 30 },
    tooltip: {
      formatter: (p: { dataIndex: number }) => {
        const i = shown[p.dataIndex];
        return i ? `${typeLabel(i.code)} · ${i.entity}<br/>${formatTime(i.start)} → ${i.end ? formatTime(i.end) : 'ongoing'}` : '';
      },
    },
    xAxis: { type: 'time', min: range.start, max: range.end },
    yAxis: { type: 'category', data: lanes, inverse: true },
    series: [{
      type: 'custom', renderItem: renderLaneBar, encode: { x: [1, 2], y: 0 },
      data: shown.map((i) => ({
        value: [lanes.indexOf(componentOf(i)?.name ?? ''), i.start, i.end ?? range.end],
        itemStyle: { color: i.end ? CLOSED_COLOR : OPEN_COLOR, opacity: 0.85, borderColor: i.end ? undefined : '#f5a623', borderWidth: i.end ? 0 : 2 },
      })),
    }],
  }), [shown, lanes, range, tz]);
  const el = useECharts(option);
  return (
    <>
      <div ref={el} className="chart" data-testid="health-timeline" data-incidents={shown.length} style={{ height: 40 + lanes.length * 36 }} />
      <div className="muted" style={{ fontSize: 12 }}>
        <span style={{ color: OPEN_COLOR }}>■</span> open · <span style={{ color: CLOSED_COLOR }}>■</span> closed · hover a bar for its times
      </div>
    </>
  );
}
