// One trace: BatchGetTraces' segments as a waterfall (a bar per segment and subsegment on the
// trace's time axis, colored by status), each bar's document on demand, and "View logs for this
// trace" into Logs Insights.
import { useState } from 'react';
import { BatchGetTracesCommand } from '@aws-sdk/client-xray';
import { AsyncView, Link, useAsync } from '../ui.tsx';
import { bars, logsForTrace, useXray, type Bar, type Doc } from './xray-api.ts';

const COLORS: Record<Bar['status'], string> = { ok: '#2ea597', error: '#f89256', throttle: '#9469d6', fault: '#d13212' };

export function TraceView({ traceId }: { traceId: string }) {
  const xray = useXray();
  const trace = useAsync(async () => {
    const out = await xray.send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
    const t = out.Traces?.[0];
    return t ? { duration: t.Duration ?? 0, bars: bars((t.Segments ?? []).map((s) => JSON.parse(s.Document ?? '{}') as Doc)) } : undefined;
  }, [traceId]);
  return (
    <div className="panel" aria-label={`Trace ${traceId}`}>
      <div className="toolbar">
        <h3 style={{ margin: 0 }}>Trace {traceId}</h3>
        <Link to={logsForTrace(traceId)}>View logs for this trace</Link>
      </div>
      <AsyncView state={trace} isEmpty={(t) => t === undefined} empty="This trace is not stored (it may be older than 30 days).">
        {(t) => <Waterfall bars={t!.bars} duration={t!.duration} />}
      </AsyncView>
    </div>
  );
}

function Waterfall({ bars: list, duration }: { bars: Bar[]; duration: number }) {
  const [open, setOpen] = useState<string>();
  const t0 = Math.min(...list.map((b) => b.start));
  const span = Math.max(duration, 0.001);
  return (
    <table aria-label="Timeline">
      <thead><tr><th>Name</th><th>Status</th><th>Duration</th><th style={{ width: '50%' }}>Timeline</th></tr></thead>
      <tbody>
        {list.map((b) => {
          const left = ((b.start - t0) / span) * 100;
          const width = b.end === undefined ? 100 - left : Math.max(0.5, ((b.end - b.start) / span) * 100);
          return [
            <tr key={b.id} onClick={() => setOpen(open === b.id ? undefined : b.id)} style={{ cursor: 'pointer' }}>
              <td style={{ paddingLeft: 8 + b.depth * 16, fontWeight: b.depth === 0 ? 600 : undefined }}>
                {b.name}{b.kind === 'inferred' ? ' (inferred)' : ''}
              </td>
              <td>{b.status}</td>
              <td>{b.end === undefined ? 'in progress' : `${Math.round((b.end - b.start) * 1000)} ms`}</td>
              <td><div style={{ position: 'relative', height: 12 }}>
                <div title={`${b.name}: ${b.status}`} style={{ position: 'absolute', left: `${left}%`, width: `${width}%`, height: 12, background: COLORS[b.status], borderRadius: 2 }} />
              </div></td>
            </tr>,
            open === b.id && (
              <tr key={`${b.id}-doc`}><td colSpan={4}><pre aria-label={`Document of ${b.name}`}>{JSON.stringify(b.doc, null, 2)}</pre></td></tr>
            ),
          ];
        })}
      </tbody>
    </table>
  );
}
