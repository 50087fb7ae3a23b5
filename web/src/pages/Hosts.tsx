// Hosts: every host that publishes CWAgent metrics (the CloudWatch agent's, or `osprey agent`'s),
// a "Host overview" of all of them (CPU, memory, root disk; a line per host), and per host when it
// last reported, its CPU, memory and root-disk use over the chosen range as small charts,
// and its log streams (the agent names them after the host by default); below, the containers
// of those hosts (hosts-containers.tsx).
import { paginateListMetrics, type Metric } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { TimeChart } from '../chart.tsx';
import { href, useQueryState } from '../router.ts';
import { formatTime, resolveRange } from '../time.ts';
import { AsyncView, Link, TimeRangePicker, useAsync } from '../ui.tsx';
import { AGENT_NAMESPACE, hostsOf, type HostSeries } from './hosts-data.ts';
import { Containers } from './hosts-containers.tsx';
import { fetchSeries, type Points } from './series-points.ts';

const RANGES = ['1h', '3h', '12h', '1d', '1w'] as const;
const KINDS = [['cpu', 'CPU %'], ['mem', 'Memory %'], ['disk', 'Disk / %']] as const;
/** Log groups searched for a host's streams (the console's list view shows at most this many too). */
const MAX_GROUPS = 50;

interface HostView extends HostSeries { points: Partial<Record<(typeof KINDS)[number][0], Points>>; lastSeen?: number }

async function load(c: ReturnType<typeof useSession>, range: string): Promise<{ hosts: HostView[]; start: Date; end: Date }> {
  const { start, end } = resolveRange(range);
  const metrics = await collect(paginateListMetrics({ client: c.cw }, { Namespace: AGENT_NAMESPACE }), (p) => p.Metrics, 5000);
  const hosts: HostView[] = hostsOf(metrics).map((h) => ({ ...h, points: {} }));
  const wanted = new Map<string, Metric>();
  hosts.forEach((h, i) => KINDS.forEach(([k]) => { if (h[k]) wanted.set(`${k}${i}`, h[k]); }));
  const series = await fetchSeries(c.cw, wanted, start, end);
  hosts.forEach((h, i) => KINDS.forEach(([k]) => {
    const points = series.get(`${k}${i}`);
    if (points === undefined) return;
    h.points[k] = points;
    const last = points.at(-1)?.[0];
    if (last !== undefined) h.lastSeen = Math.max(h.lastSeen ?? 0, last);
  }));
  return { hosts, start, end };
}

function LogStreams({ host }: { host: string }) {
  const c = useSession();
  const streams = useAsync(async () => {
    const groups = (await c.logs.send(new DescribeLogGroupsCommand({ limit: MAX_GROUPS }))).logGroups ?? [];
    const found = await Promise.all(groups.map(async (g) => {
      const s = await c.logs.send(new DescribeLogStreamsCommand({ logGroupName: g.logGroupName, logStreamNamePrefix: host, limit: 5 }));
      return (s.logStreams ?? []).map((x) => ({ group: g.logGroupName!, stream: x.logStreamName! }));
    }));
    return found.flat();
  }, [host]);
  if (!streams.data?.length) return <span className="muted">—</span>;
  return (
    <ul className="list" aria-label={`Log streams of ${host}`} style={{ maxHeight: 'none' }}>
      {streams.data.map((s) => <li key={`${s.group}/${s.stream}`}><Link to={href('/logs', { group: s.group, stream: s.stream })}>{s.group}</Link></li>)}
    </ul>
  );
}

/**
 * The "Host overview" automatic dashboard: CPU, memory and root disk of every host on one chart
 * each, a line per host, as CloudWatch's automatic dashboards overlay the resources of a kind.
 */
function Overview({ hosts, start, end }: { hosts: HostView[]; start: Date; end: Date }) {
  return (
    <section aria-label="Host overview" className="cols" style={{ gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', marginBottom: 12 }}>
      {KINDS.map(([k, label]) => (
        <div key={k}>
          <h4 style={{ margin: '0 0 4px' }}>{label}</h4>
          <TimeChart label={`${label} of all hosts`} height={180} range={{ start, end }}
            series={hosts.filter((h) => h.points[k]?.length).map((h) => ({ name: h.host, points: h.points[k]! }))} />
        </div>
      ))}
    </section>
  );
}

export default function Hosts() {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const range = q.get('range') || '1h';
  const data = useAsync(() => load(c, range), [range]);
  return (
    <>
      <div className="toolbar">
        <h2>Hosts</h2>
        <TimeRangePicker value={range} ranges={RANGES} onChange={(v) => setQ({ range: v }, true)} />
      </div>
      <div className="panel">
        <AsyncView state={data} isEmpty={(d) => d.hosts.length === 0}
          empty={<>No host publishes CWAgent metrics yet. Run <code>npx osprey agent --config amazon-cloudwatch-agent.json</code> on one.</>}>
          {({ hosts, start, end }) => (
            <>
            <Overview hosts={hosts} start={start} end={end} />
            <table aria-label="Hosts">
              <thead><tr><th>Host</th><th>Last seen</th>{KINDS.map(([k, label]) => <th key={k} style={{ width: '20%' }}>{label}</th>)}<th>Logs</th></tr></thead>
              <tbody>{hosts.map((h) => (
                <tr key={h.host}>
                  <td><strong>{h.host}</strong></td>
                  <td>{h.lastSeen ? formatTime(new Date(h.lastSeen)) : '—'}</td>
                  {KINDS.map(([k, label]) => (
                    <td key={k}>{h[k] && h.points[k]?.length
                      ? <TimeChart compact label={`${label} of ${h.host}`} height={48} range={{ start, end }} series={[{ name: label, points: h.points[k]! }]} />
                      : <span className="muted">no data</span>}</td>
                  ))}
                  <td><LogStreams host={h.host} /></td>
                </tr>
              ))}</tbody>
            </table>
            </>
          )}
        </AsyncView>
      </div>
      <Containers range={range} />
    </>
  );
}
