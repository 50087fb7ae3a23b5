// Dashboards and GetMetricWidgetImage through real clients: SDK v3 (JSON 1.0) and boto3 1.26 (Query).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import {
  CloudWatchClient, PutDashboardCommand, GetDashboardCommand, ListDashboardsCommand, DeleteDashboardsCommand,
  PutMetricDataCommand, GetMetricWidgetImageCommand,
} from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';

let server: TestServer;
let cw: CloudWatchClient;
before(async () => {
  server = await startTestServer();
  cw = new CloudWatchClient(sdkConfig(server.url));
});
after(async () => {
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
});

const BODY = JSON.stringify({
  widgets: [
    { type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: {
      metrics: [['App', 'Latency', 'Host', 'a'], ['.', '.', '.', 'b', { stat: 'p99' }]], region: 'us-east-1', view: 'timeSeries', stat: 'Average', period: 300, title: 'Latency' } },
    { type: 'text', x: 12, y: 0, width: 6, height: 3, properties: { markdown: '# Runbook' } },
  ],
});

test('PutDashboard / GetDashboard / ListDashboards / DeleteDashboards', async () => {
  const put = await cw.send(new PutDashboardCommand({ DashboardName: 'ops-main', DashboardBody: BODY }));
  assert.deepEqual(put.DashboardValidationMessages, []);
  await cw.send(new PutDashboardCommand({ DashboardName: 'ops-db', DashboardBody: BODY }));
  await cw.send(new PutDashboardCommand({ DashboardName: 'team', DashboardBody: BODY }));
  const got = await cw.send(new GetDashboardCommand({ DashboardName: 'ops-main' }));
  assert.equal(got.DashboardBody, BODY);
  assert.equal(got.DashboardArn, 'arn:aws:cloudwatch::000000000000:dashboard/ops-main');
  const list = await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: 'ops-' }));
  assert.deepEqual(list.DashboardEntries!.map((d) => [d.DashboardName, d.Size]), [['ops-db', Buffer.byteLength(BODY)], ['ops-main', Buffer.byteLength(BODY)]]);
  assert.ok(list.DashboardEntries![0]!.LastModified instanceof Date);
  await cw.send(new DeleteDashboardsCommand({ DashboardNames: ['ops-db', 'ops-main'] }));
  const left = await cw.send(new ListDashboardsCommand({}));
  assert.deepEqual(left.DashboardEntries!.map((d) => d.DashboardName), ['team']);
  const e = await cw.send(new GetDashboardCommand({ DashboardName: 'ops-main' })).catch((x) => x);
  assert.equal(e.$metadata.httpStatusCode, 404);
  assert.equal(e.Code ?? e.name, 'ResourceNotFound');
  const d = await cw.send(new DeleteDashboardsCommand({ DashboardNames: ['team', 'nope'] })).catch((x) => x);
  assert.equal(d.$metadata.httpStatusCode, 404, 'all or nothing');
  assert.equal((await cw.send(new ListDashboardsCommand({}))).DashboardEntries!.length, 1);
});

test('an invalid dashboard body is refused with one message per problem', async () => {
  const body = JSON.stringify({ widgets: [{ type: 'metric', x: 30, width: 12, height: 6, properties: { region: 'us-east-1' } }, { type: 'wat' }] });
  const e = await cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: body })).catch((x) => x);
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.equal(e.Code ?? e.name, 'InvalidParameterInput');
  assert.match(e.message, /^The dashboard body is invalid, there are \d+ validation errors:/);
  assert.ok(e.dashboardValidationMessages.some((m: { DataPath: string }) => m.DataPath.startsWith('/widgets/0')));
  assert.ok(e.dashboardValidationMessages.some((m: { DataPath: string }) => m.DataPath.startsWith('/widgets/1')));
  const notJson = await cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: '{' })).catch((x) => x);
  assert.equal(notJson.Code ?? notJson.name, 'InvalidParameterInput');
});

const MIN = 60_000;
async function publish(ns: string) {
  const now = Math.floor(Date.now() / MIN) * MIN;
  await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: Array.from({ length: 30 }, (_, i) => ({
    MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'a' }], Value: 50 + 40 * Math.sin(i / 4), Timestamp: new Date(now - (30 - i) * MIN),
  })) }));
}
const widget = (ns: string, width: number, height: number) => JSON.stringify({
  metrics: [[ns, 'Latency', 'Host', 'a', { color: '#d62728', label: 'host a' }]], title: 'Latency', width, height, start: '-PT1H', period: 60, stat: 'Average',
  annotations: { horizontal: [{ value: 80, label: 'SLO' }] }, yAxis: { left: { min: 0 } }, legend: { position: 'bottom' },
});

test('GetMetricWidgetImage (SDK v3) returns a PNG of the requested size', async () => {
  await publish('Img');
  const r = await cw.send(new GetMetricWidgetImageCommand({ MetricWidget: widget('Img', 640, 320) }));
  const png = PNG.sync.read(Buffer.from(r.MetricWidgetImage!));
  assert.deepEqual([png.width, png.height], [640, 320]);
  // Something was drawn in the series colour (#d62728).
  let red = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! > 180 && png.data[i + 1]! < 80 && png.data[i + 2]! < 80) red++;
  assert.ok(red > 50, `${red} red pixels`);
  const bad = await cw.send(new GetMetricWidgetImageCommand({ MetricWidget: '{"metrics": 5}' })).catch((x) => x);
  assert.equal(bad.$metadata.httpStatusCode, 400);
});

test('GetMetricWidgetImage through boto3 1.26 (Query: the PNG travels base64 in XML)', async () => {
  await publish('ImgQ');
  const script = `
import boto3, struct, sys
c = boto3.client('cloudwatch', endpoint_url=${JSON.stringify(server.url)}, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
img = c.get_metric_widget_image(MetricWidget=${JSON.stringify(widget('ImgQ', 500, 250))})['MetricWidgetImage']
assert img[:8] == b'\\x89PNG\\r\\n\\x1a\\n', img[:8]
print(*struct.unpack('>II', img[16:24]))
`;
  const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', script], { env: awsEnv() });
  assert.equal(stdout.trim(), '500 250');
});
