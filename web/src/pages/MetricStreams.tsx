// Metric streams: each stream's state, format and Firehose delivery stream, its last delivery and
// failed deliveries (read, as in CloudWatch, from the AWS/CloudWatch/MetricStreams metrics
// MetricUpdate and PublishErrorRate), start / stop / delete, and a create form.
import { useState } from 'react';
import {
  DeleteMetricStreamCommand, GetMetricDataCommand, ListMetricStreamsCommand, PutMetricStreamCommand, StartMetricStreamsCommand, StopMetricStreamsCommand,
  type MetricStreamEntry, type MetricStreamOutputFormat,
} from '@aws-sdk/client-cloudwatch';
import { useSession } from '../app-context.ts';
import type { Clients } from '../aws.ts';
import { formatTime } from '../time.ts';
import { buttonAction, field, formAction } from '../form-action.ts';
import { AsyncView, ConfirmDialog, ErrorBox, useAsync, useInterval } from '../ui.tsx';

const FORMATS: MetricStreamOutputFormat[] = ['json', 'opentelemetry1.0', 'opentelemetry0.7'];
const WINDOW_MS = 3 * 3_600_000;

interface Health { lastDelivery?: Date; updates: number; errors: number }

/** Last MetricUpdate datapoint and the sums of MetricUpdate / PublishErrorRate over three hours, per stream. */
async function healthOf(c: Clients, names: string[]): Promise<Map<string, Health>> {
  const out = new Map<string, Health>();
  if (names.length === 0) return out;
  const q = (id: string, metric: string, name: string) => ({
    Id: id, MetricStat: { Metric: { Namespace: 'AWS/CloudWatch/MetricStreams', MetricName: metric, Dimensions: [{ Name: 'MetricStreamName', Value: name }] }, Period: 60, Stat: 'Sum' },
  });
  const r = await c.cw.send(new GetMetricDataCommand({
    MetricDataQueries: names.flatMap((n, i) => [q(`u${i}`, 'MetricUpdate', n), q(`e${i}`, 'PublishErrorRate', n)]),
    StartTime: new Date(Date.now() - WINDOW_MS), EndTime: new Date(), ScanBy: 'TimestampDescending',
  }));
  const sum = (id: string) => (r.MetricDataResults?.find((x) => x.Id === id)?.Values ?? []).reduce((a, b) => a + b, 0);
  names.forEach((n, i) => out.set(n, {
    lastDelivery: r.MetricDataResults?.find((x) => x.Id === `u${i}`)?.Timestamps?.[0], updates: sum(`u${i}`), errors: sum(`e${i}`),
  }));
  return out;
}

export default function MetricStreams() {
  const c = useSession();
  const streams = useAsync(async () => {
    const list = (await c.cw.send(new ListMetricStreamsCommand({}))).Entries ?? [];
    return { list, health: await healthOf(c, list.map((s) => s.Name!)) };
  }, []);
  useInterval(streams.reload, 30_000);
  const [error, setError] = useState<unknown>();
  const [deleting, setDeleting] = useState<string>();
  const act = buttonAction(setError, () => streams.reload());
  const create = formAction(setError)(async (f) => c.cw.send(new PutMetricStreamCommand({
    Name: field(f, 'name'), FirehoseArn: field(f, 'firehose'), RoleArn: field(f, 'role'), OutputFormat: field(f, 'format') as MetricStreamOutputFormat,
    IncludeFilters: field(f, 'namespaces') ? field(f, 'namespaces').split(',').map((n) => ({ Namespace: n.trim() })).filter((x) => x.Namespace) : undefined,
  })), () => streams.reload());
  return (
    <>
      <div className="toolbar"><h2>Metric streams</h2></div>
      <ErrorBox error={error} />
      <div className="panel">
        <AsyncView state={streams} isEmpty={(s) => s.list.length === 0} empty="No metric streams yet.">
          {({ list, health }) => (
            <table aria-label="Metric streams">
              <thead><tr><th>Name</th><th>State</th><th>Format</th><th>Firehose delivery stream</th><th>Last delivery</th><th>Updates (3 h)</th><th>Failed deliveries (3 h)</th><th /></tr></thead>
              <tbody>{list.map((s: MetricStreamEntry) => {
                const h = health.get(s.Name!);
                return (
                  <tr key={s.Name}>
                    <td>{s.Name}</td>
                    <td>{s.State}</td>
                    <td>{s.OutputFormat}</td>
                    <td className="msg">{s.FirehoseArn}</td>
                    <td>{h?.lastDelivery ? formatTime(h.lastDelivery) : 'none yet'}</td>
                    <td>{h?.updates ?? 0}</td>
                    <td>{h?.errors ?? 0}</td>
                    <td>
                      {s.State === 'running'
                        ? <button type="button" onClick={act(() => c.cw.send(new StopMetricStreamsCommand({ Names: [s.Name!] })))}>Stop</button>
                        : <button type="button" onClick={act(() => c.cw.send(new StartMetricStreamsCommand({ Names: [s.Name!] })))}>Start</button>}
                      <button type="button" aria-label={`Delete ${s.Name}`} onClick={() => setDeleting(s.Name)}>Delete</button>
                    </td>
                  </tr>
                );
              })}</tbody>
            </table>
          )}
        </AsyncView>
      </div>
      {deleting && (
        <ConfirmDialog title="Delete metric stream" action="Delete" onClose={() => setDeleting(undefined)}
          onConfirm={act(async () => (await c.cw.send(new DeleteMetricStreamCommand({ Name: deleting })), setDeleting(undefined)))}>
          Delete the metric stream <strong>{deleting}</strong>?
        </ConfirmDialog>
      )}
      <form className="panel form" aria-label="Create metric stream" onSubmit={create}>
        <h3>Create metric stream</h3>
        <label>Name <input name="name" required maxLength={255} /></label>
        <label>Firehose delivery stream ARN (mapped in the server's streams configuration) <input name="firehose" required placeholder="arn:aws:firehose:us-east-1:000000000000:deliverystream/metrics" /></label>
        <label>Role ARN <input name="role" required placeholder="arn:aws:iam::000000000000:role/metric-stream" /></label>
        <label>Output format <select name="format">{FORMATS.map((f) => <option key={f}>{f}</option>)}</select></label>
        <label>Namespaces to include (comma-separated; empty: all) <input name="namespaces" /></label>
        <div><button type="submit" className="primary">Create metric stream</button></div>
      </form>
    </>
  );
}
