// Osprey's own health, read through the AWS Health API: the components it watches (stores, disk,
// deliveries) with their current status — the seeds' "Service health" — then the open issues, a
// timeline of incidents and the event log — the "Personal Health Dashboard". `range` is in the URL.
import { useQueryState } from '../router.ts';
import { formatTime, resolveRange } from '../time.ts';
import { AsyncView, Empty, StateBadge, TimeRangePicker, useAsync, useInterval } from '../ui.tsx';
import { COMPONENTS, loadIncidents, typeLabel, useHealth, type Incident } from './health-api.ts';
import { HealthTimeline } from './health-timeline.tsx';

const RANGES = ['1h', '12h', '1d', '1w', '30d'] as const;

export default function Health() {
  const health = useHealth();
  const [q, setQ] = useQueryState();
  const range = q.get('range') ?? '1d';
  const incidents = useAsync(() => loadIncidents(health), [health]);
  // The monitor checks every few seconds; the page follows without a manual refresh.
  useInterval(incidents.reload, 15_000);
  // A relative range ends now: resolved on each render, so it moves on with each reload.
  const { start, end } = resolveRange(range);
  const span = { start: start.getTime(), end: end.getTime() };
  const all = incidents.data ?? [];
  const open = all.filter((i) => i.status === 'open');
  return (
    <>
      <div className="toolbar">
        <h2>Health</h2>
        <button type="button" onClick={incidents.reload}>Refresh</button>
      </div>
      <AsyncView state={incidents}>
        {() => (
          <>
            <section aria-label="Service health">
              <h3>Service health</h3>
              <ComponentTable incidents={all} />
            </section>
            <section aria-label="Open issues">
              <h3>Open issues ({open.length})</h3>
              {open.length === 0 ? <Empty>No open issues.</Empty> : <IncidentTable label="Open issues" incidents={open} />}
            </section>
            <section aria-label="Timeline">
              <div className="toolbar">
                <h3>Timeline</h3>
                <TimeRangePicker value={range} onChange={(r) => setQ({ range: r })} ranges={RANGES} />
              </div>
              <HealthTimeline incidents={all} range={span} />
            </section>
            <section aria-label="Event log">
              <h3>Event log</h3>
              {all.length === 0 ? <Empty>No incidents recorded.</Empty> : <IncidentTable label="Event log" incidents={all} />}
            </section>
          </>
        )}
      </AsyncView>
    </>
  );
}

function ComponentTable({ incidents }: { incidents: Incident[] }) {
  return (
    <table aria-label="Components">
      <thead><tr><th>Component</th><th>Status</th><th>Since</th><th>Last incident</th></tr></thead>
      <tbody>
        {COMPONENTS.map((c) => {
          const mine = incidents.filter((i) => c.owns(i));
          const open = mine.filter((i) => i.status === 'open');
          const last = mine[0];
          return (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td><StateBadge state={open.length > 0 ? 'Impaired' : 'OK'} /></td>
              <td>{open.length > 0 ? formatTime(Math.min(...open.map((i) => i.start))) : ''}</td>
              <td>{last ? `${typeLabel(last.code)} · ${formatTime(last.start)}${last.end ? ` → ${formatTime(last.end)}` : ' (ongoing)'}` : 'None'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function IncidentTable({ label, incidents }: { label: string; incidents: Incident[] }) {
  return (
    <table aria-label={label}>
      <thead><tr><th>Issue</th><th>Component</th><th>Status</th><th>Started</th><th>Ended</th><th>Description</th></tr></thead>
      <tbody>
        {incidents.map((i) => (
          <tr key={i.arn} title={i.arn}>
            <td>{typeLabel(i.code)}</td>
            <td><code>{i.entity}</code></td>
            <td><StateBadge state={i.status === 'open' ? 'Open' : 'Closed'} /></td>
            <td>{formatTime(i.start)}</td>
            <td>{i.end ? formatTime(i.end) : ''}</td>
            <td className="wrap">{i.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
