// Anomaly detection end to end, with real clients: two weeks of a daily sine with noise backfilled
// through PutMetricData, a detector that leaves the last two days out of training, the band over
// those held-out days (SDK v3 and boto3 1.26), a band alarm that goes ALARM on a spike and OK after
// with an SNS notification, the same band after a restart, and CloudWatch's errors for bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchClient, PutMetricDataCommand, PutAnomalyDetectorCommand, DescribeAnomalyDetectorsCommand, DeleteAnomalyDetectorCommand,
  GetMetricDataCommand, PutMetricAlarmCommand, DescribeAlarmsCommand, GetMetricWidgetImageCommand, type MetricDatum, type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { SNSClient, CreateTopicCommand, SubscribeCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { until } from './helpers/until.ts';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
const DAY = 86_400_000;
let server: TestServer;
const ENV = {
  OSPREY_DELIVERY_POLL_MS: '100',
  OSPREY_ACCESS_KEYS: JSON.stringify([
    { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' },
    { accessKeyId: 'OTHER', secretAccessKey: 'other', accountId: '111111111111' },
  ]),
};
let receiver: Server;
const notifications: { Type: string; Message: string; SubscribeURL?: string }[] = [];

/** Seeded normal noise (mulberry32 + Box–Muller), so the data is the same every run. */
function gaussian(seed: number): () => number {
  let a = seed;
  const u = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}
const sine = (t: number) => 100 + 40 * Math.sin((2 * Math.PI * (t % DAY)) / DAY);

async function backfill(cw: CloudWatchClient, name: string, from: number, to: number, periodMs: number, seed: number): Promise<{ t: number; v: number }[]> {
  const noise = gaussian(seed);
  const points: { t: number; v: number }[] = [];
  for (let t = from; t < to; t += periodMs) points.push({ t, v: sine(t) + 5 * noise() });
  for (let i = 0; i < points.length; i += 1000) {
    const data: MetricDatum[] = points.slice(i, i + 1000).map((p) => ({ MetricName: name, Timestamp: new Date(p.t), Value: p.v }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: data }));
  }
  return points;
}

const bandQueries = (name: string, period: number): MetricDataQuery[] => [
  { Id: 'm1', MetricStat: { Metric: { Namespace: 'Shop', MetricName: name }, Period: period, Stat: 'Average' } },
  { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)' },
];

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof notifications)[number];
      notifications.push(m);
      if (m.Type === 'SubscriptionConfirmation') void fetch(m.SubscribeURL!);
      res.end();
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  server = await startTestServer({ env: ENV });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  receiver?.close();
});

test('a daily sine: the 2σ band covers ≥ 95 % of two held-out days, the detector is listed, a restart gives the same band', async () => {
  let cw = new CloudWatchClient(sdkConfig(server.url));
  const end = Math.floor(Date.now() / 300_000) * 300_000;
  const start = end - 14 * DAY + 300_000;
  const points = await backfill(cw, 'Orders', start, end, 300_000, 42);
  const heldFrom = end - 2 * DAY;
  await cw.send(new PutAnomalyDetectorCommand({
    SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Average' },
    Configuration: { ExcludedTimeRanges: [{ StartTime: new Date(heldFrom), EndTime: new Date(end + DAY) }], MetricTimezone: 'UTC' },
  }));
  const d0 = await cw.send(new DescribeAnomalyDetectorsCommand({ Namespace: 'Shop' }));
  assert.equal(d0.AnomalyDetectors?.[0]?.StateValue, 'PENDING_TRAINING');

  const read = async () => {
    const r = await cw.send(new GetMetricDataCommand({
      MetricDataQueries: bandQueries('Orders', 300), StartTime: new Date(heldFrom), EndTime: new Date(end), ScanBy: 'TimestampAscending',
    }));
    return r.MetricDataResults!;
  };
  const t0 = performance.now();
  const results = await read();
  const firstMs = performance.now() - t0;
  const [metric, upper, lower] = [results[0]!, results[1]!, results[2]!];
  assert.deepEqual(results.map((r) => r.Id), ['m1', 'ad1', 'ad1']);
  assert.equal(upper.Label, 'Orders (expected) upper');
  assert.equal(lower.Label, 'Orders (expected) lower');
  const bandAt = new Map(upper.Timestamps!.map((t, i) => [t.getTime(), [lower.Values![i]!, upper.Values![i]!]]));
  const held = points.filter((p) => p.t >= heldFrom);
  assert.equal(metric.Values!.length, held.length);
  const inside = held.filter((p) => {
    const b = bandAt.get(p.t);
    return b !== undefined && p.v >= b[0]! && p.v <= b[1]!;
  }).length;
  const coverage = inside / held.length;
  console.log(`# held-out coverage ${(coverage * 100).toFixed(1)} % of ${held.length} points; first band read ${firstMs.toFixed(0)} ms`);
  assert.ok(coverage >= 0.95, `coverage ${coverage}`);

  const d1 = await cw.send(new DescribeAnomalyDetectorsCommand({ MetricName: 'Orders' }));
  assert.equal(d1.AnomalyDetectors?.length, 1);
  const det = d1.AnomalyDetectors![0]!;
  assert.equal(det.StateValue, 'TRAINED');
  assert.deepEqual(det.SingleMetricAnomalyDetector, { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [], Stat: 'Average' });
  assert.equal(det.Configuration?.MetricTimezone, 'UTC');
  assert.equal(det.Configuration?.ExcludedTimeRanges?.[0]?.StartTime?.getTime(), heldFrom);

  // boto3 reads the same band.
  const py = `
import boto3, datetime, json
c = boto3.client('cloudwatch', endpoint_url='${server.url}', region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
r = c.get_metric_data(MetricDataQueries=[
  {'Id': 'm1', 'MetricStat': {'Metric': {'Namespace': 'Shop', 'MetricName': 'Orders'}, 'Period': 300, 'Stat': 'Average'}, 'ReturnData': False},
  {'Id': 'hi', 'Expression': 'FIRST(ANOMALY_DETECTION_BAND(m1))'},
  {'Id': 'lo', 'Expression': 'LAST(ANOMALY_DETECTION_BAND(m1))'}],
  StartTime=datetime.datetime.fromtimestamp(${heldFrom / 1000}, datetime.timezone.utc), EndTime=datetime.datetime.fromtimestamp(${end / 1000}, datetime.timezone.utc), ScanBy='TimestampAscending')
print(json.dumps({x['Id']: x['Values'][:3] for x in r['MetricDataResults']}))
print(json.dumps([d['StateValue'] for d in c.describe_anomaly_detectors()['AnomalyDetectors']]))`;
  const { stdout } = await run('/usr/bin/python3', ['-c', py], { env: awsEnv() });
  const [values, states] = stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
  const v = values as Record<string, number[]>;
  assert.deepEqual(v.hi, upper.Values!.slice(0, 3));
  assert.deepEqual(v.lo, lower.Values!.slice(0, 3));
  assert.deepEqual(states, ['TRAINED']);

  // Widget images draw the band (from the same GetMetricData).
  const image = await cw.send(new GetMetricWidgetImageCommand({ MetricWidget: JSON.stringify({
    metrics: [['Shop', 'Orders', { id: 'm1' }], [{ expression: 'ANOMALY_DETECTION_BAND(m1, 2)', id: 'ad1' }]], period: 300, start: '-P2D', width: 600, height: 300,
  }) }));
  assert.deepEqual([...image.MetricWidgetImage!.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG');

  // The model is kept: after a restart the band is the same, to the bit.
  const dataDir = server.dataDir;
  await server.stop();
  server = await startTestServer({ dataDir, env: ENV });
  cw = new CloudWatchClient(sdkConfig(server.url));
  const again = await read();
  assert.deepEqual(again[1]!.Values, upper.Values);
  assert.deepEqual(again[2]!.Values, lower.Values);
});

test('a band alarm goes ALARM on a spike and back to OK, with an SNS notification; its detector is created', async () => {
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const sns = new SNSClient(sdkConfig(server.url));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/oncall`;
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'anomalies' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
  await until('confirmed subscription', async () => {
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    return subs.Subscriptions?.[0]?.SubscriptionArn?.startsWith('arn:aws:sns:') ? true : undefined;
  });
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  await backfill(cw, 'Checkout', now - 3 * DAY, now, 60_000, 7);
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'checkout-anomaly', AlarmActions: [TopicArn!], OKActions: [TopicArn!],
    ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold', EvaluationPeriods: 1, ThresholdMetricId: 'ad1',
    Metrics: [
      { Id: 'm1', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Checkout' }, Period: 60, Stat: 'Average' }, ReturnData: true },
      { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 3)', ReturnData: true },
    ],
  }));
  // The same metric broken down by Host: the root-cause hints name the host behind a spike.
  const hosts = ['h1', 'h2', 'h3'];
  const recent: MetricDatum[] = [];
  for (let t = now - 30 * 60_000; t < now; t += 60_000) for (const h of hosts) recent.push({ MetricName: 'Checkout', Dimensions: [{ Name: 'Host', Value: h }], Timestamp: new Date(t), Value: sine(t) / 3 });
  await cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: recent }));
  const dets = await cw.send(new DescribeAnomalyDetectorsCommand({ MetricName: 'Checkout' }));
  assert.equal(dets.AnomalyDetectors?.length, 1, 'the alarm created its detector');

  const put = (v: number, n = 1) => cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'Checkout', Values: [v], Counts: [n] }] }));
  const state = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['checkout-anomaly'] }))).MetricAlarms![0]!;
  await cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: hosts.map((h) => ({
    MetricName: 'Checkout', Dimensions: [{ Name: 'Host', Value: h }], Value: sine(Date.now()) / 3 + (h === 'h2' ? 400 : 1) })) }));
  await put(sine(Date.now()) + 400);
  const alarmed = await until('ALARM on the spike', async () => ((await state()).StateValue === 'ALARM' ? state() : undefined), 30_000);
  assert.match(alarmed.StateReason!, /^Thresholds Crossed: 1 out of the last 1 datapoints \[[\d.]+ \(.*\)\] was less than the lower thresholds \[[\d.]+\] or greater than the upper thresholds \[[\d.]+\]/);
  assert.equal(alarmed.ThresholdMetricId, 'ad1');
  const hints = (JSON.parse(alarmed.StateReasonData!) as { rootCauseHints?: { dimensions: Record<string, string>; share: number }[] }).rootCauseHints;
  assert.deepEqual(hints?.[0]?.dimensions, { Host: 'h2' }, alarmed.StateReasonData);
  assert.ok(hints![0]!.share > 0.9);
  assert.equal(alarmed.Threshold, undefined);
  // Normal traffic dilutes the spike (or the next minute is normal): back inside the band.
  await put(sine(Date.now()), 400);
  await until('OK after the spike', async () => ((await state()).StateValue === 'OK' ? true : undefined), 90_000);
  await until('ALARM and OK notifications', async () => {
    const msgs = notifications.filter((n) => n.Type === 'Notification').map((n) => JSON.parse(n.Message) as { NewStateValue: string; Trigger: Record<string, unknown> });
    const alarm = msgs.find((m) => m.NewStateValue === 'ALARM');
    return alarm && msgs.some((m) => m.NewStateValue === 'OK') ? alarm : undefined;
  }).then((m) => {
    assert.equal(m.Trigger.ThresholdMetricId, 'ad1');
    assert.equal(m.Trigger.ComparisonOperator, 'LessThanLowerOrGreaterThanUpperThreshold');
  });
});

test('bad input gets CloudWatch errors', async () => {
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const fail = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: { name: string; Code?: string; message: string; $metadata: { httpStatusCode?: number } }) => e);
  let e = await fail(cw.send(new PutAnomalyDetectorCommand({ SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Orders' } })));
  assert.equal(e.Code, 'MissingParameter');
  assert.match(e.message, /SingleMetricAnomalyDetector\.Stat is required/);
  e = await fail(cw.send(new PutAnomalyDetectorCommand({ SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Median' } })));
  assert.equal(e.Code, 'ValidationError', 'the model\'s Stat pattern');
  e = await fail(cw.send(new PutAnomalyDetectorCommand({ Namespace: 'Shop', MetricName: 'Orders', Stat: 'Sum', SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Sum' } })));
  assert.equal(e.Code, 'InvalidParameterCombination');
  e = await fail(cw.send(new PutAnomalyDetectorCommand({ SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Sum' }, Configuration: { MetricTimezone: 'Mars/Olympus' } })));
  assert.equal(e.Code, 'InvalidParameterValue');
  e = await fail(cw.send(new DeleteAnomalyDetectorCommand({ SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Nope', Stat: 'Sum' } })));
  assert.equal(e.name, 'ResourceNotFoundException');
  assert.equal(e.$metadata.httpStatusCode, 404);
  e = await fail(cw.send(new PutMetricAlarmCommand({
    AlarmName: 'bad-band', ComparisonOperator: 'GreaterThanUpperThreshold', EvaluationPeriods: 1, Threshold: 1,
    Metrics: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders' }, Period: 60, Stat: 'Average' } }],
  })));
  assert.equal(e.Code, 'ValidationError');
  assert.match(e.message, /ThresholdMetricId is required/);
  e = await fail(cw.send(new GetMetricDataCommand({
    MetricDataQueries: [...bandQueries('Orders', 300).slice(0, 1), { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1 * 2)' }],
    StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(),
  })));
  assert.equal(e.Code, 'ValidationError');
  assert.match(e.message, /takes the Id of a metric/);
  // Another account never sees this account's detectors.
  const other = new CloudWatchClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'OTHER', secretAccessKey: 'other' } });
  const listed = await other.send(new DescribeAnomalyDetectorsCommand({}));
  assert.deepEqual(listed.AnomalyDetectors, []);
});
