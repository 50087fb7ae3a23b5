/**
 * Stored segments become ApplicationSignals metrics (Latency, Error, Fault by Environment and
 * Service), readable with GetMetricData like Application Signals' own.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let xray: XRayClient;
let cw: CloudWatchClient;

before(async () => {
  server = await startTestServer({ modules: ['xray', 'cloudwatch'] });
  xray = new XRayClient(sdkConfig(server.url));
  cw = new CloudWatchClient(sdkConfig(server.url));
});
after(async () => {
  xray?.destroy();
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('segments become ApplicationSignals Latency, Error and Fault metrics per service', async () => {
  const now = Math.floor(Date.now() / 1000) - 5;
  const segment = (ms: number, status: number, extra: Record<string, unknown> = {}) => JSON.stringify({
    trace_id: `1-${now.toString(16)}-${randomBytes(12).toString('hex')}`, id: randomBytes(8).toString('hex'), name: 'checkout', origin: 'AWS::EC2::Instance',
    start_time: now, end_time: now + ms / 1000, http: { response: { status } }, ...extra,
  });
  const docs = [segment(100, 200), segment(200, 200), segment(300, 200), segment(50, 404), segment(900, 500), segment(10, 200, { end_time: undefined, in_progress: true })];
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));

  const dims = [{ Name: 'Environment', Value: 'ec2:default' }, { Name: 'Service', Value: 'checkout' }];
  const q = (Id: string, MetricName: string, Stat: string) => ({ Id, MetricStat: { Metric: { Namespace: 'ApplicationSignals', MetricName, Dimensions: dims }, Period: 3600, Stat } });
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date((now - 600) * 1000), EndTime: new Date((now + 600) * 1000),
    MetricDataQueries: [q('n', 'Latency', 'SampleCount'), q('max', 'Latency', 'Maximum'), q('p50', 'Latency', 'p50'), q('faults', 'Fault', 'Sum'), q('errorRate', 'Error', 'Average')],
  }));
  const v = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r.Values!.reduce((a, b) => a + b, 0)]));
  // The in-progress segment is not a finished request: five requests.
  assert.deepEqual({ n: v.n, max: v.max, faults: v.faults, errorRate: v.errorRate }, { n: 5, max: 900, faults: 1, errorRate: 0.2 });
  assert.equal(v.p50, 200);
  const listed = await cw.send(new ListMetricsCommand({ Namespace: 'ApplicationSignals' }));
  assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(), ['Error', 'Fault', 'Latency']);
});
