// The containers of the hosts that run `osprey agent` with its container input: each container's
// CPU and memory utilization (of its node's capacity) over the chosen range as small charts, by
// cluster and node, with a link to the node's performance events — the log events the metrics
// were extracted from.
import { paginateListMetrics, type Metric } from '@aws-sdk/client-cloudwatch';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { TimeChart } from '../chart.tsx';
import { href } from '../router.ts';
import { resolveRange } from '../time.ts';
import { AsyncView, Link, useAsync } from '../ui.tsx';
import { CONTAINER_NAMESPACE, containersOf, type ContainerSeries } from './hosts-data.ts';
import { fetchSeries, type Points } from './series-points.ts';

const KINDS = [['cpu', 'CPU %'], ['mem', 'Memory %']] as const;

interface ContainerView extends ContainerSeries { points: Partial<Record<(typeof KINDS)[number][0], Points>> }

async function load(c: ReturnType<typeof useSession>, range: string): Promise<{ containers: ContainerView[]; start: Date; end: Date }> {
  const { start, end } = resolveRange(range);
  const metrics = await collect(paginateListMetrics({ client: c.cw }, { Namespace: CONTAINER_NAMESPACE }), (p) => p.Metrics, 5000);
  const containers: ContainerView[] = containersOf(metrics).map((x) => ({ ...x, points: {} }));
  const wanted = new Map<string, Metric>();
  containers.forEach((x, i) => KINDS.forEach(([k]) => { if (x[k]) wanted.set(`${k}${i}`, x[k]); }));
  const series = await fetchSeries(c.cw, wanted, start, end);
  containers.forEach((x, i) => KINDS.forEach(([k]) => {
    const points = series.get(`${k}${i}`);
    if (points !== undefined) x.points[k] = points;
  }));
  return { containers, start, end };
}

export function Containers({ range }: { range: string }) {
  const c = useSession();
  const data = useAsync(() => load(c, range), [range]);
  return (
    <div className="panel">
      <h3 style={{ marginTop: 0 }}>Containers</h3>
      <AsyncView state={data} isEmpty={(d) => d.containers.length === 0}
        empty={<>No container metrics yet. Add <code>"container": {'{}'}</code> under <code>logs.metrics_collected</code> in the agent's config.</>}>
        {({ containers, start, end }) => (
          <table aria-label="Containers">
            <thead><tr><th>Cluster</th><th>Host</th><th>Container</th>{KINDS.map(([k, label]) => <th key={k} style={{ width: '22%' }}>{label}</th>)}<th>Events</th></tr></thead>
            <tbody>{containers.map((x) => (
              <tr key={`${x.cluster}/${x.node}/${x.container}`}>
                <td>{x.cluster}</td>
                <td>{x.node}</td>
                <td><strong>{x.container}</strong></td>
                {KINDS.map(([k, label]) => (
                  <td key={k}>{x.points[k]?.length
                    ? <TimeChart compact label={`${label} of ${x.container} on ${x.node}`} height={48} range={{ start, end }} series={[{ name: label, points: x.points[k]! }]} />
                    : <span className="muted">no data</span>}</td>
                ))}
                <td><Link to={href('/logs', { group: `/aws/containerinsights/${x.cluster}/performance`, stream: x.node })}>performance</Link></td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
    </div>
  );
}
