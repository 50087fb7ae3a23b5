// The service map: GetServiceGraph drawn as an ECharts force-directed graph (node size by requests,
// color by the share of faults and errors), plus the same nodes and edges as tables a reader or a
// test can use. Choosing a service filters the trace list with service("name").
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { GraphChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { Service } from '@aws-sdk/client-xray';
import { useECharts } from '../chart.tsx';

echarts.use([GraphChart, TooltipComponent, CanvasRenderer]);

const label = (s: Service): string => (s.Type === 'client' ? 'Clients' : s.Name ?? '?');
const health = (s: Service): string => {
  const st = s.SummaryStatistics;
  if (!st?.TotalCount) return '#8d99a6';
  if ((st.FaultStatistics?.TotalCount ?? 0) > 0) return '#d13212';
  if ((st.ErrorStatistics?.TotalCount ?? 0) > 0) return '#f89256';
  return '#2ea597';
};
const avgMs = (total?: number, count?: number): string => (count ? `${Math.round(((total ?? 0) / count) * 1000)} ms` : '—');

export function ServiceMap({ services, onSelect }: { services: Service[]; onSelect: (name: string) => void }) {
  const option = useMemo(() => ({
    tooltip: {},
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true, force: { repulsion: 260, edgeLength: 120 },
      label: { show: true, position: 'bottom' }, edgeSymbol: ['none', 'arrow'],
      data: services.map((s) => ({
        id: String(s.ReferenceId), name: `${label(s)}${s.Type && s.Type !== 'client' ? ` (${s.Type})` : ''}`,
        symbolSize: 18 + Math.min(30, Math.log2(1 + (s.SummaryStatistics?.TotalCount ?? 0)) * 4),
        itemStyle: { color: health(s) }, value: s.SummaryStatistics?.TotalCount ?? 0,
      })),
      links: services.flatMap((s) => (s.Edges ?? []).map((e) => ({ source: String(s.ReferenceId), target: String(e.ReferenceId), value: e.SummaryStatistics?.TotalCount ?? 0 }))),
    }],
  }), [services]);
  const el = useECharts(option, (p) => {
    const s = services.find((x) => String(x.ReferenceId) === (p as { data?: { id?: string } }).data?.id);
    if (s && s.Type !== 'client' && s.Name) onSelect(s.Name);
  });
  return (
    <>
      <div ref={el} style={{ height: 360 }} role="img" aria-label="Service map" />
      <table aria-label="Services">
        <thead><tr><th>Service</th><th>Type</th><th>Requests</th><th>Faults</th><th>Errors</th><th>Avg response</th><th>Calls</th></tr></thead>
        <tbody>
          {services.filter((s) => s.Type !== 'client').map((s) => (
            <tr key={s.ReferenceId}>
              <td><a href="#" onClick={(e) => (e.preventDefault(), s.Name && onSelect(s.Name))}>{s.Name}</a></td>
              <td>{s.Type ?? ''}</td>
              <td>{s.SummaryStatistics?.TotalCount ?? 0}</td>
              <td>{s.SummaryStatistics?.FaultStatistics?.TotalCount ?? 0}</td>
              <td>{s.SummaryStatistics?.ErrorStatistics?.TotalCount ?? 0}</td>
              <td>{avgMs(s.SummaryStatistics?.TotalResponseTime, s.SummaryStatistics?.TotalCount)}</td>
              <td>{(s.Edges ?? []).map((e) => services.find((x) => x.ReferenceId === e.ReferenceId)?.Name).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
