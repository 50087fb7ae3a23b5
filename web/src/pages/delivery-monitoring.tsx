// Monitoring a delivery stream from its AWS/Firehose metrics, as AWS's console does: the last
// delivery and totals over the range, graphs of incoming and delivered records, delivery success and
// data freshness, and the delivery errors Firehose logged to the stream's CloudWatch Logs stream.
import { GetMetricDataCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import type { DeliveryStreamDescription } from '@aws-sdk/client-firehose';
import { useSession } from '../app-context.ts';
import { MetricGraph } from '../metric-graph.tsx';
import type { MetricSpec } from '../metrics.ts';
import { useQueryState } from '../router.ts';
import { formatTime, resolveRange } from '../time.ts';
import { AsyncView, TimeRangePicker, useAsync, useInterval } from '../ui.tsx';
import { destinationOf } from './delivery-api.ts';
import { DeliveryErrors } from './delivery-errors.tsx';

const NS = 'AWS/Firehose';
const REFRESH_MS = 60_000;

interface Graph { title: string; specs: MetricSpec[] }

function graphsFor(d: DeliveryStreamDescription, to: string | undefined): Graph[] {
  const dimensions: Dimension[] = [{ Name: 'DeliveryStreamName', Value: d.DeliveryStreamName }];
  const m = (id: string, metricName: string, stat: string, label: string): MetricSpec => ({ id, namespace: NS, metricName, dimensions, stat, label });
  const incoming = d.DeliveryStreamType === 'KinesisStreamAsSource'
    ? m('incoming', 'DataReadFromKinesisStream.Records', 'Sum', 'Records read from Kinesis')
    : m('incoming', 'IncomingRecords', 'Sum', 'Incoming records');
  const graphs: Graph[] = [{ title: 'Incoming records (Sum)', specs: [incoming] }];
  if (!to) return graphs;
  const label = to === 'S3' ? 'S3' : 'HTTP endpoint';
  return [
    ...graphs,
    { title: `Records delivered to ${label} (Sum)`, specs: [m('delivered', `DeliveryTo${to}.Records`, 'Sum', 'Records delivered')] },
    { title: `Delivery to ${label} success (Average)`, specs: [m('success', `DeliveryTo${to}.Success`, 'Average', 'Success')] },
    { title: `Data freshness, seconds (Maximum)`, specs: [m('freshness', `DeliveryTo${to}.DataFreshness`, 'Maximum', 'Age of the oldest record')] },
  ];
}

export function DeliveryMonitoring({ desc }: { desc: DeliveryStreamDescription }) {
  const [q, setQ] = useQueryState();
  const range = q.get('range') ?? '3h';
  const dest = destinationOf(desc.Destinations?.[0]);
  const graphs = graphsFor(desc, dest.metricPart);
  return (
    <>
      <div className="toolbar">
        <TimeRangePicker value={range} onChange={(v) => setQ({ range: v })} />
      </div>
      <DeliverySummary desc={desc} graphs={graphs} range={range} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 12 }}>
        {graphs.map((g) => (
          <div className="panel" key={g.title}>
            <h3 style={{ fontSize: 14 }}>{g.title}</h3>
            <MetricGraph specs={g.specs} range={range} height={200} label={g.title} refreshMs={REFRESH_MS} />
          </div>
        ))}
      </div>
      <DeliveryErrors logging={dest.logging} range={range} />
    </>
  );
}

/** Totals over the range and the time of the last delivery (the newest datapoint with records delivered). */
function DeliverySummary({ desc, graphs, range }: { desc: DeliveryStreamDescription; graphs: Graph[]; range: string }) {
  const c = useSession();
  const specs = graphs.flatMap((g) => g.specs).filter((s) => 'metricName' in s && s.stat === 'Sum');
  const state = useAsync(async () => {
    const { start, end } = resolveRange(range);
    const r = await c.cw.send(new GetMetricDataCommand({
      StartTime: start, EndTime: end, ScanBy: 'TimestampDescending',
      MetricDataQueries: specs.map((s) => 'metricName' in s
        ? { Id: s.id, MetricStat: { Metric: { Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions }, Period: 60, Stat: 'Sum' } }
        : { Id: s.id, Expression: s.expression }),
    }));
    const result = (id: string) => r.MetricDataResults?.find((x) => x.Id === id);
    const total = (id: string) => (result(id)?.Values ?? []).reduce((a, b) => a + b, 0);
    const delivered = result('delivered');
    const last = delivered?.Timestamps?.find((_, i) => (delivered.Values?.[i] ?? 0) > 0);
    return { incoming: total('incoming'), delivered: total('delivered'), last };
  }, [desc.DeliveryStreamName, range]);
  useInterval(state.reload, REFRESH_MS);
  return (
    <div className="panel">
      <AsyncView state={state}>
        {(s) => (
          <table aria-label="Delivery summary">
            <tbody><tr>
              <th scope="row">Last delivery</th><td>{s.last ? formatTime(s.last) : 'None in this range'}</td>
              <th scope="row">Incoming records</th><td>{s.incoming}</td>
              <th scope="row">Records delivered</th><td>{s.delivered}</td>
            </tr></tbody>
          </table>
        )}
      </AsyncView>
    </div>
  );
}
