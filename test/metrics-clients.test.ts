// One PutMetricData → GetMetricStatistics / GetMetricData / ListMetrics round trip through every
// client CloudWatch users have (protocols.md): SDK v3 over JSON 1.0 and forced rpc-v2-cbor, the
// CLI v1 on PATH (JSON), Debian's CLI v2.9.19 (Query) and boto3 1.26 (Query). Each writes the same
// data into its own namespace; every client must read back exactly what SDK v3 reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient, PutMetricDataCommand, GetMetricStatisticsCommand, GetMetricDataCommand, ListMetricsCommand,
  type MetricDatum, type Statistic,
} from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'osprey-metrics-clients-'));

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

// Ten minutes ago on a minute boundary: inside the raw tier, so percentiles are exact.
const T = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The data every client publishes (PutMetricData's MetricDatum, Timestamp as ISO text). */
const DATA: (Omit<MetricDatum, 'Timestamp'> & { Timestamp: string })[] = [
  { MetricName: 'Latency', Dimensions: [{ Name: 'Op', Value: 'get' }], Timestamp: iso(T), Unit: 'Milliseconds',
    Values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Counts: [1, 1, 1, 1, 1, 1, 1, 1, 1, 11] },
  { MetricName: 'Latency', Dimensions: [{ Name: 'Op', Value: 'get' }], Timestamp: iso(T + 60_000), Unit: 'Milliseconds', Value: 42.5 },
  { MetricName: 'Latency', Dimensions: [{ Name: 'Op', Value: 'get' }], Timestamp: iso(T + 120_000), Unit: 'Milliseconds',
    StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 2, Maximum: 8 } },
  { MetricName: 'Requests', Timestamp: iso(T), Unit: 'Count', Value: 5 },
  { MetricName: 'Requests', Timestamp: iso(T + 60_000), Unit: 'Count', Value: 7, StorageResolution: 1 },
];
const START = iso(T - 60_000);
const END = iso(T + 180_000);
const QUERIES = [
  { Id: 'm1', MetricStat: { Metric: { Namespace: 'NS', MetricName: 'Latency', Dimensions: [{ Name: 'Op', Value: 'get' }] }, Period: 60, Stat: 'Sum' } },
  { Id: 'm2', MetricStat: { Metric: { Namespace: 'NS', MetricName: 'Requests' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
  { Id: 'p', MetricStat: { Metric: { Namespace: 'NS', MetricName: 'Latency', Dimensions: [{ Name: 'Op', Value: 'get' }] }, Period: 60, Stat: 'p90' } },
  { Id: 'e1', Expression: 'm1 + m2', Label: 'total ${SUM}' },
];
const STATS: Statistic[] = ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'Average'];

/** What a client reads back, with namespaces and time formats normalised away. */
interface Readback {
  stats: unknown[];
  extended: unknown[];
  data: unknown[];
  list: unknown[];
}

const withNs = (ns: string) => JSON.parse(JSON.stringify(QUERIES).replaceAll('"NS"', JSON.stringify(ns)));
// CLI v1 prints JSON-protocol timestamps as the epoch seconds it received; the others as dates.
const ms = (t: unknown) => (t instanceof Date ? t.getTime() : typeof t === 'number' ? Math.round(t * 1000) : Date.parse(String(t)));

/** The four answers as a client gives them: timestamps as Dates (SDK), epoch seconds (CLI v1) or ISO text. */
type Time = Date | number | string;
type RawDatapoint = { Timestamp?: Time; Unit?: string; ExtendedStatistics?: Record<string, number> } & { [S in Statistic]?: number };
interface RawReadback {
  stats: { Datapoints?: RawDatapoint[] };
  extended: { Datapoints?: RawDatapoint[] };
  data: { MetricDataResults?: { Id?: string; Label?: string; StatusCode?: string; Timestamps?: Time[]; Values?: number[] }[] };
  list: { Metrics?: { MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] }[] };
}

function normalize(raw: RawReadback): Readback {
  const byTime = (a: RawDatapoint, b: RawDatapoint) => ms(a.Timestamp) - ms(b.Timestamp);
  return {
    stats: [...raw.stats.Datapoints!].sort(byTime).map((d) => [ms(d.Timestamp) - T, ...STATS.map((s) => d[s]), d.Unit]),
    extended: [...raw.extended.Datapoints!].sort(byTime).map((d) => [ms(d.Timestamp) - T, d.ExtendedStatistics ?? {}]),
    data: raw.data.MetricDataResults!.map((r) => [r.Id, r.Label, r.StatusCode, r.Timestamps!.map((t) => ms(t) - T), r.Values]),
    list: raw.list.Metrics!.map((m) => [m.MetricName, (m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`)]).sort(),
  };
}

async function viaSdk(ns: string, cbor: boolean): Promise<Readback> {
  const cw = new CloudWatchClient({ ...sdkConfig(server.url), ...(cbor ? { protocol: AwsSmithyRpcV2CborProtocol } : {}) });
  try {
    await cw.send(new PutMetricDataCommand({
      Namespace: ns, MetricData: DATA.map((d) => ({ ...d, Timestamp: new Date(d.Timestamp) })),
    }));
    const base = { Namespace: ns, MetricName: 'Latency', Dimensions: [{ Name: 'Op', Value: 'get' }], StartTime: new Date(START), EndTime: new Date(END), Period: 60 };
    return normalize({
      stats: await cw.send(new GetMetricStatisticsCommand({ ...base, Statistics: STATS })),
      extended: await cw.send(new GetMetricStatisticsCommand({ ...base, ExtendedStatistics: ['p50', 'p90', 'TM(10%:90%)'] })),
      data: await cw.send(new GetMetricDataCommand({ MetricDataQueries: withNs(ns), StartTime: new Date(START), EndTime: new Date(END), ScanBy: 'TimestampAscending' })),
      list: await cw.send(new ListMetricsCommand({ Namespace: ns })),
    });
  } finally {
    cw.destroy();
  }
}

async function viaCli(bin: string, ns: string): Promise<Readback> {
  const cli = async (args: string[]) => {
    const { stdout } = await run(bin, ['cloudwatch', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() });
    return stdout.trim() ? JSON.parse(stdout) : {};
  };
  const file = (name: string, v: unknown) => {
    const f = join(dir, `${ns.replace(/\W/g, '_')}-${name}.json`);
    writeFileSync(f, JSON.stringify(v));
    return `file://${f}`;
  };
  await cli(['put-metric-data', '--namespace', ns, '--metric-data', file('data', DATA)]);
  const base = ['--namespace', ns, '--metric-name', 'Latency', '--dimensions', 'Name=Op,Value=get', '--start-time', START, '--end-time', END, '--period', '60'];
  return normalize({
    stats: await cli(['get-metric-statistics', ...base, '--statistics', ...STATS]),
    extended: await cli(['get-metric-statistics', ...base, '--extended-statistics', 'p50', 'p90', 'TM(10%:90%)']),
    data: await cli(['get-metric-data', '--metric-data-queries', file('queries', withNs(ns)), '--start-time', START, '--end-time', END, '--scan-by', 'TimestampAscending']),
    list: await cli(['list-metrics', '--namespace', ns]),
  });
}

async function viaBoto3(ns: string): Promise<Readback> {
  const script = `
import boto3, json, datetime
c = boto3.client('cloudwatch', endpoint_url=${JSON.stringify(server.url)}, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
data = json.loads(${JSON.stringify(JSON.stringify(DATA))})
for d in data:
    d['Timestamp'] = datetime.datetime.fromisoformat(d['Timestamp'].replace('Z', '+00:00'))
c.put_metric_data(Namespace=${JSON.stringify(ns)}, MetricData=data)
start = datetime.datetime.fromisoformat(${JSON.stringify(START.replace('Z', '+00:00'))})
end = datetime.datetime.fromisoformat(${JSON.stringify(END.replace('Z', '+00:00'))})
base = dict(Namespace=${JSON.stringify(ns)}, MetricName='Latency', Dimensions=[{'Name': 'Op', 'Value': 'get'}], StartTime=start, EndTime=end, Period=60)
out = {
  'stats': c.get_metric_statistics(Statistics=${JSON.stringify(STATS)}, **base),
  'extended': c.get_metric_statistics(ExtendedStatistics=['p50', 'p90', 'TM(10%:90%)'], **base),
  'data': c.get_metric_data(MetricDataQueries=json.loads(${JSON.stringify(JSON.stringify(withNs(ns)))}), StartTime=start, EndTime=end, ScanBy='TimestampAscending'),
  'list': c.list_metrics(Namespace=${JSON.stringify(ns)}),
}
print(json.dumps(out, default=lambda o: o.isoformat()))
`;
  const { stdout } = await run('/usr/bin/python3', ['-c', script], { env: awsEnv() });
  return normalize(JSON.parse(stdout));
}

let reference: Readback;

test('SDK v3 (JSON 1.0) reads back the published statistics, percentiles, math and listing', async () => {
  reference = await viaSdk('RT/sdk-json', false);
  assert.deepEqual(reference.stats, [
    [0, 20, 155, 1, 10, 7.75, 'Milliseconds'],
    [60_000, 1, 42.5, 42.5, 42.5, 42.5, 'Milliseconds'],
    [120_000, 4, 20, 2, 8, 5, 'Milliseconds'],
  ]);
  assert.deepEqual(reference.extended, [
    [0, { p50: 10, p90: 10, 'TM(10%:90%)': 8.25 }], // ranks 3..18: 3..9 once, 10 nine times
    [60_000, { p50: 42.5, p90: 42.5, 'TM(10%:90%)': 42.5 }],
    [120_000, {}], // a statistic set has no distribution: no percentiles, as in CloudWatch
  ]);
  assert.deepEqual(reference.data, [
    ['m1', 'Latency', 'Complete', [0, 60_000, 120_000], [155, 42.5, 20]],
    ['p', 'Latency', 'Complete', [0, 60_000], [10, 42.5]],
    ['e1', 'total 229.5', 'Complete', [0, 60_000, 120_000], [160, 49.5, 20]], // missing m2 counts as 0
  ]);
  assert.deepEqual(reference.list, [['Latency', ['Op=get']], ['Requests', []]]);
});

const CLIENTS: [string, (ns: string) => Promise<Readback>][] = [
  ['SDK v3 forced rpc-v2-cbor', (ns) => viaSdk(ns, true)],
  ['aws CLI v1 on PATH (JSON 1.0)', (ns) => viaCli('aws', ns)],
  ['/usr/bin/aws CLI v2.9.19 (Query)', (ns) => viaCli('/usr/bin/aws', ns)],
  ['boto3 1.26 (Query)', (ns) => viaBoto3(ns)],
];
for (const [name, client] of CLIENTS) {
  test(`${name}: identical round trip`, async () => {
    assert.ok(reference, 'the SDK v3 reference ran first');
    assert.deepEqual(await client(`RT/${name.split(' ')[0]!.replace(/\W/g, '')}-${CLIENTS.findIndex(([n]) => n === name)}`), reference);
  });
}
