// The Traces tab: the service map of a time range (GetServiceGraph), the traces in it that match a
// filter expression (GetTraceSummaries, with the X-Ray filter language, a response-time histogram and
// each trace's root cause), and one trace's waterfall (BatchGetTraces) — all narrowed to a group when
// one is chosen. The URL holds range, group, filter and trace, so a view is a link.
import { GetGroupsCommand, GetServiceGraphCommand, GetTimeSeriesServiceStatisticsCommand, GetTraceSummariesCommand, type RootCauseException, type TraceSummary } from '@aws-sdk/client-xray';
import { CategoryChart, TimeChart } from '../chart.tsx';
import { useQueryState } from '../router.ts';
import { AsyncView, TimeRangePicker, useAsync } from '../ui.tsx';
import { formatTime, resolveRange } from '../time.ts';
import { useXray } from './xray-api.ts';
import { ServiceMap } from './xray-map.tsx';
import { TraceView } from './xray-trace.tsx';

const RANGES = ['5m', '15m', '1h', '3h', '6h'] as const;
const MAX_PAGES = 5;

/** Response times in 50 ms buckets, as the X-Ray console's histogram over the trace list. */
function histogram(list: TraceSummary[]): { categories: string[]; counts: number[] } {
  const counts = new Map<number, number>();
  for (const t of list) {
    const b = Math.floor(((t.ResponseTime ?? 0) * 1000) / 50) * 50;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort(([a], [b]) => a - b);
  return { categories: sorted.map(([b]) => `${b}–${b + 50} ms`), counts: sorted.map(([, n]) => n) };
}

function ResponseHistogram({ list }: { list: TraceSummary[] }) {
  const h = histogram(list);
  return <CategoryChart categories={h.categories} series={[{ name: 'Traces', values: h.counts }]} height={140} label="Response time distribution" />;
}

/** Requests, errors and faults per minute of the service a `service("…")` filter names. */
function ServiceTimeline({ name, range }: { name: string; range: string }) {
  const xray = useXray();
  const points = useAsync(async () => {
    const { start, end } = resolveRange(range);
    const out = await xray.send(new GetTimeSeriesServiceStatisticsCommand({ StartTime: start, EndTime: end, Period: 60, EntitySelectorExpression: `service(${JSON.stringify(name)})` }));
    return { start, end, list: out.TimeSeriesServiceStatistics ?? [] };
  }, [name, range]);
  return (
    <div className="panel">
      <h3>{name} per minute</h3>
      <AsyncView state={points} isEmpty={(p) => p.list.length === 0} empty="No requests in this time range.">
        {({ start, end, list }) => {
          const at = (f: (s: (typeof list)[number]) => number | undefined) => list.map((p): [number, number] => [p.Timestamp!.getTime(), f(p) ?? 0]);
          return <TimeChart kind="bar" height={160} range={{ start, end }} label={`Requests of ${name} per minute`} series={[
            { name: 'Requests', points: at((p) => p.ServiceSummaryStatistics?.TotalCount) },
            { name: 'Errors', points: at((p) => p.ServiceSummaryStatistics?.ErrorStatistics?.TotalCount) },
            { name: 'Faults', points: at((p) => p.ServiceSummaryStatistics?.FaultStatistics?.TotalCount) },
          ]} />;
        }}
      </AsyncView>
    </div>
  );
}

type Cause = { kind: string; path: string; exception?: RootCauseException };

/** The first root cause X-Ray found (fault, error, then response time): the deepest entity of its last service. */
export function rootCause(t: TraceSummary): Cause | undefined {
  const kinds: [string, TraceSummary['FaultRootCauses']][] = [
    ['Fault', t.FaultRootCauses], ['Error', t.ErrorRootCauses], ['Slow', t.ResponseTimeRootCauses],
  ];
  for (const [kind, causes] of kinds) {
    const service = causes?.[0]?.Services?.at(-1);
    if (!service) continue;
    const path = service.EntityPath ?? [];
    const last = path.at(-1);
    return { kind, path: path.map((e) => e.Name).join(' › ') || (service.Name ?? ''), exception: last?.Exceptions?.[0] };
  }
  return undefined;
}

function RootCauseCell({ t }: { t: TraceSummary }) {
  const c = rootCause(t);
  if (!c) return <span className="muted">—</span>;
  return <span title={c.exception?.Message}>{c.kind}: {c.path}{c.exception ? ` (${c.exception.Name ?? 'exception'})` : ''}</span>;
}

/** The groups to narrow the tab to (Default = every trace). */
function GroupPicker({ value, onChange }: { value: string; onChange: (group: string | undefined) => void }) {
  const xray = useXray();
  const groups = useAsync(async () => (await xray.send(new GetGroupsCommand({}))).Groups ?? [], []);
  return (
    <label className="toolbar" style={{ margin: 0 }}>Group
      <select aria-label="Group" value={value} onChange={(e) => onChange(e.target.value === 'Default' ? undefined : e.target.value)}>
        {(groups.data ?? [{ GroupName: 'Default' }]).map((g) => <option key={g.GroupName} value={g.GroupName}>{g.GroupName}</option>)}
        {value !== 'Default' && !groups.data?.some((g) => g.GroupName === value) && <option value={value}>{value}</option>}
      </select>
    </label>
  );
}

export function TracesTab() {
  const xray = useXray();
  const [q, setQ] = useQueryState();
  const range = q.get('range') || '15m';
  const filter = q.get('filter') ?? '';
  const trace = q.get('trace') ?? '';
  const group = q.get('group') ?? undefined;
  // A group narrows the list with its own filter (group.name), ANDed with the typed one.
  const groupFilter = group ? `group.name = ${JSON.stringify(group)}` : '';
  const listFilter = [groupFilter, filter && `(${filter})`].filter(Boolean).join(' AND ');
  // The service chosen on the map (the filter it sets), whose requests per minute are charted.
  const selected = /^service\("([^"\\]+)"\)$/.exec(filter)?.[1];
  const graph = useAsync(async () => {
    const { start, end } = resolveRange(range);
    return (await xray.send(new GetServiceGraphCommand({ StartTime: start, EndTime: end, GroupName: group }))).Services ?? [];
  }, [range, group]);
  const traces = useAsync(async () => {
    const { start, end } = resolveRange(range);
    const out: TraceSummary[] = [];
    let token: string | undefined;
    for (let i = 0; i < MAX_PAGES; i++) {
      const page = await xray.send(new GetTraceSummariesCommand({ StartTime: start, EndTime: end, FilterExpression: listFilter || undefined, NextToken: token }));
      out.push(...(page.TraceSummaries ?? []));
      token = page.NextToken;
      if (!token) break;
    }
    return out;
  }, [range, filter, group]);
  return (
    <>
      <div className="toolbar">
        <GroupPicker value={group ?? 'Default'} onChange={(g) => setQ({ group: g, trace: undefined }, true)} />
        <TimeRangePicker value={range} ranges={RANGES} onChange={(v) => setQ({ range: v }, true)} />
      </div>
      <div className="panel">
        <h3>Service map</h3>
        <AsyncView state={graph} isEmpty={(s) => s.length === 0} empty="No traces in this time range.">
          {(services) => <ServiceMap services={services} onSelect={(name) => setQ({ filter: `service("${name}")`, trace: undefined }, true)} />}
        </AsyncView>
      </div>
      {selected && <ServiceTimeline name={selected} range={range} />}
      <div className="panel">
        <form className="toolbar" aria-label="Filter traces" onSubmit={(e) => {
          e.preventDefault();
          setQ({ filter: String(new FormData(e.currentTarget).get('filter') ?? '').trim() || undefined, trace: undefined }, true);
        }}>
          <input name="filter" key={filter} defaultValue={filter} aria-label="Filter expression" style={{ minWidth: 420 }}
            placeholder='e.g. service("checkout") AND responsetime > 0.2' />
          <button type="submit" className="primary">Apply</button>
        </form>
        <AsyncView state={traces} isEmpty={(l) => l.length === 0} empty="No traces match.">
          {(list) => (
            <>
              <ResponseHistogram list={list} />
              <table aria-label="Traces">
                <thead><tr><th>Trace</th><th>Started</th><th>Response</th><th>Duration</th><th>HTTP</th><th>Status</th><th>Root cause</th></tr></thead>
                <tbody>
                  {list.map((t) => (
                    <tr key={t.Id} aria-selected={t.Id === trace}>
                      <td><a href="#" onClick={(e) => (e.preventDefault(), setQ({ trace: t.Id }, true))}>{t.Id}</a></td>
                      <td>{formatTime(t.StartTime)}</td>
                      <td>{t.ResponseTime !== undefined ? `${Math.round(t.ResponseTime * 1000)} ms` : '—'}</td>
                      <td>{`${Math.round((t.Duration ?? 0) * 1000)} ms`}</td>
                      <td>{[t.Http?.HttpMethod, t.Http?.HttpURL, t.Http?.HttpStatus].filter((x) => x !== undefined).join(' ')}</td>
                      <td>{t.HasFault ? 'Fault' : t.HasThrottle ? 'Throttle' : t.HasError ? 'Error' : 'OK'}{t.IsPartial ? ' (partial)' : ''}</td>
                      <td><RootCauseCell t={t} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </AsyncView>
      </div>
      {trace && <TraceView traceId={trace} />}
    </>
  );
}
