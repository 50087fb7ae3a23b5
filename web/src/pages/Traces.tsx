// X-Ray: the service map of a time range (GetServiceGraph), the traces in it that match a filter
// expression (GetTraceSummaries, with the X-Ray filter language and a response-time histogram), and
// one trace's waterfall (BatchGetTraces). The URL holds range, filter and trace, so a view is a link.
import { GetServiceGraphCommand, GetTimeSeriesServiceStatisticsCommand, GetTraceSummariesCommand, type TraceSummary } from '@aws-sdk/client-xray';
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

export default function Traces() {
  const xray = useXray();
  const [q, setQ] = useQueryState();
  const range = q.get('range') || '15m';
  const filter = q.get('filter') ?? '';
  const trace = q.get('trace') ?? '';
  // The service chosen on the map (the filter it sets), whose requests per minute are charted.
  const selected = /^service\("([^"\\]+)"\)$/.exec(filter)?.[1];
  const graph = useAsync(async () => {
    const { start, end } = resolveRange(range);
    return (await xray.send(new GetServiceGraphCommand({ StartTime: start, EndTime: end }))).Services ?? [];
  }, [range]);
  const traces = useAsync(async () => {
    const { start, end } = resolveRange(range);
    const out: TraceSummary[] = [];
    let token: string | undefined;
    for (let i = 0; i < MAX_PAGES; i++) {
      const page = await xray.send(new GetTraceSummariesCommand({ StartTime: start, EndTime: end, FilterExpression: filter || undefined, NextToken: token }));
      out.push(...(page.TraceSummaries ?? []));
      token = page.NextToken;
      if (!token) break;
    }
    return out;
  }, [range, filter]);
  return (
    <>
      <div className="toolbar">
        <h2>Traces</h2>
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
                <thead><tr><th>Trace</th><th>Started</th><th>Response</th><th>Duration</th><th>HTTP</th><th>Status</th></tr></thead>
                <tbody>
                  {list.map((t) => (
                    <tr key={t.Id} aria-selected={t.Id === trace}>
                      <td><a href="#" onClick={(e) => (e.preventDefault(), setQ({ trace: t.Id }, true))}>{t.Id}</a></td>
                      <td>{formatTime(t.StartTime)}</td>
                      <td>{t.ResponseTime !== undefined ? `${Math.round(t.ResponseTime * 1000)} ms` : '—'}</td>
                      <td>{`${Math.round((t.Duration ?? 0) * 1000)} ms`}</td>
                      <td>{[t.Http?.HttpMethod, t.Http?.HttpURL, t.Http?.HttpStatus].filter((x) => x !== undefined).join(' ')}</td>
                      <td>{t.HasFault ? 'Fault' : t.HasThrottle ? 'Throttle' : t.HasError ? 'Error' : 'OK'}{t.IsPartial ? ' (partial)' : ''}</td>
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
