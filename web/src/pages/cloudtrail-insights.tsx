// Insights events: LookupEvents with EventCategory=insight over the time range (every page, up to
// MAX_EVENTS), paired into insights and drawn on a timeline, with a list below it and the selected
// insight's detail: baseline vs insight averages, durations and the attributions CloudTrail found.
import { useState } from 'react';
import { paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { collect } from '../aws.ts';
import { useQueryState } from '../router.ts';
import { AsyncView, useAsync } from '../ui.tsx';
import { formatTime, resolveRange } from '../time.ts';
import { useCloudTrail } from './cloudtrail-api.ts';
import { CloudTrailRange } from './cloudtrail-range.tsx';
import { formatAverage, insightBars, type Attribution, type InsightBar } from './cloudtrail-insights-data.ts';
import { InsightsTimeline } from './cloudtrail-timeline.tsx';

const MAX_EVENTS = 1000;

export function InsightsTab() {
  const ct = useCloudTrail();
  const [q, setQ] = useQueryState();
  const range = q.get('range') ?? '1w';
  const [selected, setSelected] = useState<string>();
  const data = useAsync(async () => {
    const { start, end } = resolveRange(range);
    const events = await collect(
      paginateLookupEvents({ client: ct, pageSize: 50 }, { EventCategory: 'insight', StartTime: start, EndTime: end }), (p) => p.Events, MAX_EVENTS);
    // An open insight runs to now; the axis ends where the range does (a bar past it is clipped).
    return { bars: insightBars(events.map((e) => e.CloudTrailEvent), { start: start.getTime(), now: Date.now() }), start: start.getTime(), end: end.getTime() };
  }, [range]);
  const chosen = data.data?.bars.find((b) => b.id === selected);
  return (
    <>
      <div className="toolbar">
        <h3 style={{ margin: 0, flex: 1 }}>Insights events</h3>
        <CloudTrailRange value={range} onChange={(r) => setQ({ range: r }, true)} />
        <button type="button" onClick={data.reload} disabled={data.loading}>Refresh</button>
      </div>
      <AsyncView state={data} isEmpty={(d) => d.bars.length === 0}
        empty={<>No Insights events in this range. A trail with Insights selectors (ApiCallRateInsight, ApiErrorRateInsight) raises them when an API&apos;s call or error rate leaves its baseline.</>}>
        {(d) => (
          <>
            <div className="panel"><InsightsTimeline bars={d.bars} range={d} selected={selected} onSelect={setSelected} /></div>
            <div className="cols" style={{ gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)' }}>
              <div className="panel"><InsightList bars={d.bars} selected={selected} onSelect={setSelected} /></div>
              <div className="panel">{chosen ? <InsightDetail bar={chosen} /> : <p className="muted">Select an insight on the timeline or in the list.</p>}</div>
            </div>
          </>
        )}
      </AsyncView>
    </>
  );
}

function InsightList({ bars, selected, onSelect }: { bars: InsightBar[]; selected?: string; onSelect: (id: string) => void }) {
  return (
    <table aria-label="Insights">
      <thead><tr><th>Event name</th><th>Insight type</th><th>Start</th><th>End</th></tr></thead>
      <tbody>{bars.map((b) => (
        <tr key={b.id} className="expandable" tabIndex={0} aria-selected={b.id === selected} onClick={() => onSelect(b.id)}
          onKeyDown={(k) => k.key === 'Enter' && onSelect(b.id)} style={{ fontWeight: b.id === selected ? 600 : undefined }}>
          <td>{b.eventName}{b.errorCode ? ` (${b.errorCode})` : ''}</td>
          <td>{b.insightType}</td>
          <td>{b.startClipped ? 'before range' : formatTime(b.start)}</td>
          <td>{b.open ? 'ongoing' : formatTime(b.end)}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}

function Attributions({ list }: { list: Attribution[] }) {
  if (list.length === 0) return <p className="muted">No attributions recorded.</p>;
  return (
    <table aria-label="Attributions">
      <thead><tr><th>Attribute</th><th>Insight (value: average)</th><th>Baseline (value: average)</th></tr></thead>
      <tbody>{list.map((a) => (
        <tr key={a.attribute}>
          <td>{a.attribute}</td>
          <td className="msg">{(a.insight ?? []).map((v) => `${v.value}: ${formatAverage(v.average)}`).join('\n')}</td>
          <td className="msg">{(a.baseline ?? []).map((v) => `${v.value}: ${formatAverage(v.average)}`).join('\n')}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}

function InsightDetail({ bar: b }: { bar: InsightBar }) {
  const s = b.statistics;
  const unit = b.insightType === 'ApiErrorRateInsight' ? 'errors per minute' : 'calls per minute';
  return (
    <section aria-label="Insight detail">
      <h4 style={{ marginTop: 0 }}>{b.eventName} · {b.insightType}</h4>
      <dl>
        <dt>Event source</dt><dd>{b.eventSource}</dd>
        {b.errorCode && <><dt>Error code</dt><dd>{b.errorCode}</dd></>}
        <dt>Start</dt><dd>{b.startClipped ? 'before the range' : formatTime(b.start)}</dd>
        <dt>End</dt><dd>{b.open ? 'ongoing' : formatTime(b.end)}</dd>
        <dt>Baseline average</dt><dd>{formatAverage(s?.baseline?.average)} {unit}{s?.baselineDuration ? ` over ${s.baselineDuration} minute${s.baselineDuration === 1 ? '' : 's'}` : ''}</dd>
        <dt>Insight average</dt><dd>{formatAverage(s?.insight?.average)} {unit}{s?.insightDuration ? ` over ${s.insightDuration} minute${s.insightDuration === 1 ? '' : 's'}` : ''}</dd>
      </dl>
      <h4>Attributions</h4>
      <Attributions list={b.attributions} />
    </section>
  );
}
