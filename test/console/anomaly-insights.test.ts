// End-to-end (Chromium via playwright-core, real server): anomaly detection, Contributor Insights
// and metric streams in the console. "Enable anomaly detection" on a graphed metric adds ANOMALY_DETECTION_BAND and
// draws the band; a band alarm that fired shows its graph and the host behind the spike; a
// Contributor Insights rule created in the form reports its top contributors as a chart and a table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand, PutMetricStreamCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { until } from '../helpers/until.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let cw: CloudWatchClient;
const base = () => server.url.replace(/\/$/, '');

const FIREHOSE = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/metrics';
const sinkDir = mkdtempSync(join(tmpdir(), 'osprey-stream-'));

before(async () => {
  server = await startTestServer({
    modules: ['logs', 'cloudwatch'],
    env: { OSPREY_DELIVERY_POLL_MS: '100', OSPREY_STREAM_SINKS: JSON.stringify({ [FIREHOSE]: pathToFileURL(join(sinkDir, 'records.txt')).href }) },
  });
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
  cw = new CloudWatchClient(sdkConfig(server.url));
  // A stream started now has delivered its first minute by the time the last test looks.
  await cw.send(new PutMetricStreamCommand({ Name: 'to-lake', FirehoseArn: FIREHOSE, RoleArn: 'arn:aws:iam::000000000000:role/s', OutputFormat: 'json', IncludeFilters: [{ Namespace: 'Lake' }] }));
  await cw.send(new PutMetricDataCommand({ Namespace: 'Lake', MetricData: [{ MetricName: 'Rows', Value: 1 }] }));
});

after(async () => {
  rmSync(sinkDir, { recursive: true, force: true });
  cw?.destroy();
  await testBrowser?.close();
  await server?.stop();
  server?.cleanup();
});

const noise = (t: number) => ((t / 60_000) * 7919) % 11 - 5;

test('enable anomaly detection on a graphed metric: the band is drawn and kept in the URL', async () => {
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const data: MetricDatum[] = [];
  for (let t = now - 6 * 3_600_000; t < now; t += 60_000) data.push({ MetricName: 'Latency', Timestamp: new Date(t), Value: 100 + noise(t) });
  for (let i = 0; i < data.length; i += 500) await cw.send(new PutMetricDataCommand({ Namespace: 'Web', MetricData: data.slice(i, i + 500) }));
  const graph = JSON.stringify([{ id: 'm1', namespace: 'Web', metricName: 'Latency', dimensions: [], stat: 'Average' }]);
  await page.goto(`${base()}/metrics?range=3h&period=60&graph=${encodeURIComponent(graph)}`);
  await page.getByRole('button', { name: 'Anomaly detection for m1' }).click();
  await page.waitForURL((u) => (u.searchParams.get('graph') ?? '').includes('ANOMALY_DETECTION_BAND(m1, 2)'));
  const legend = page.getByTestId('metrics-graph').getByRole('list', { name: 'Legend' });
  await legend.getByText('e2 expected band').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0, 'no row errors');
  assert.equal(await page.getByRole('button', { name: 'Anomaly detection for m1' }).getAttribute('aria-pressed'), 'true');
  await page.screenshot({ path: join(ARTIFACTS, 'metrics-anomaly-band.png'), fullPage: true });
});

test('a band alarm that fired shows its band graph and the host behind the spike', async () => {
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const data: MetricDatum[] = [];
  for (let t = now - 3 * 3_600_000; t < now; t += 60_000) data.push({ MetricName: 'Orders', Timestamp: new Date(t), Value: 300 + noise(t) });
  for (let t = now - 30 * 60_000; t < now; t += 60_000) {
    for (const h of ['h1', 'h2', 'h3']) data.push({ MetricName: 'Orders', Dimensions: [{ Name: 'Host', Value: h }], Timestamp: new Date(t), Value: 100 + noise(t) / 3 });
  }
  for (let i = 0; i < data.length; i += 500) await cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: data.slice(i, i + 500) }));
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'orders-anomaly', ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold', EvaluationPeriods: 1, ThresholdMetricId: 'ad1',
    Metrics: [
      { Id: 'm1', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders' }, Period: 60, Stat: 'Average' }, ReturnData: true },
      { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)', ReturnData: true },
    ],
  }));
  await cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [
    ...['h1', 'h2', 'h3'].map((h) => ({ MetricName: 'Orders', Dimensions: [{ Name: 'Host', Value: h }], Value: h === 'h3' ? 600 : 100 })),
    { MetricName: 'Orders', Value: 800 },
  ] }));
  await until('ALARM', async () => ((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-anomaly'] }))).MetricAlarms?.[0]?.StateValue === 'ALARM' ? true : undefined), 30_000);
  await page.goto(`${base()}/alarms?name=orders-anomaly`);
  const causes = page.getByRole('table', { name: 'Root causes' });
  await causes.waitFor();
  assert.match(await causes.getByRole('row').nth(1).innerText(), /Host=h3/);
  await page.getByTestId('alarm-graph').getByRole('list', { name: 'Legend' }).getByText('ad1 expected band').waitFor();
  assert.match(await page.getByText('Condition:').locator('..').innerText(), /m1 outside the band ad1/);
  await page.screenshot({ path: join(ARTIFACTS, 'alarm-anomaly.png'), fullPage: true });
});

test('Contributor Insights: a rule created in the console reports its top contributors', async () => {
  await page.goto(`${base()}/contributor-insights`);
  await page.getByText('No rules yet').waitFor();
  const form = page.getByRole('form', { name: 'Create rule' });
  await form.getByLabel('Rule name').fill('top-ips');
  await form.getByLabel(/Rule definition/).fill(JSON.stringify({
    Schema: { Name: 'CloudWatchLogRule', Version: 1 }, LogGroupNames: ['/web/access'], LogFormat: 'JSON', Contribution: { Keys: ['$.ip'] }, AggregateOn: 'Count',
  }));
  await form.getByRole('button', { name: 'Create rule' }).click();
  const rules = page.getByRole('table', { name: 'Rules' });
  await rules.getByRole('link', { name: 'top-ips' }).waitFor();
  assert.match(await rules.getByRole('row').nth(1).innerText(), /ENABLED/);

  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/web/access' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/web/access', logStreamName: 's' }));
    const events = [...Array(30).fill('10.0.0.1'), ...Array(20).fill('10.0.0.2'), ...Array(5).fill('10.0.0.3')]
      .map((ip: string) => ({ timestamp: Date.now(), message: JSON.stringify({ ip, status: 200 }) }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/web/access', logStreamName: 's', logEvents: events }));
  } finally {
    logs.destroy();
  }
  await rules.getByRole('link', { name: 'top-ips' }).click();
  const table = page.getByRole('table', { name: 'Top contributors' });
  await table.waitFor();
  const rows = await table.getByRole('row').allInnerTexts();
  assert.match(rows[1]!, /10\.0\.0\.1\s+30\s+54\.5 %/);
  assert.match(rows[3]!, /10\.0\.0\.3\s+5/);
  await page.getByTestId('contributors-chart').locator('canvas').first().waitFor();
  await page.getByText('55 in total from 3 unique contributors').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'contributor-insights.png'), fullPage: true });
});

test('Metric streams: the list shows state and last delivery; a stream is created, stopped and deleted from the console', async () => {
  await page.goto(`${base()}/metric-streams`);
  const table = page.getByRole('table', { name: 'Metric streams' });
  const lake = table.getByRole('row').filter({ hasText: 'to-lake' });
  await lake.waitFor();
  // The first minute is delivered 30 s after it ends; the page polls every 30 s.
  await until('a last delivery', async () => {
    await page.reload();
    await lake.waitFor();
    return /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(await lake.innerText()) ? true : undefined;
  }, 150_000);
  assert.match(await lake.innerText(), /running\s+json/);
  const form = page.getByRole('form', { name: 'Create metric stream' });
  await form.getByLabel('Name', { exact: true }).fill('otel-out');
  await form.getByLabel(/Firehose delivery stream ARN/).fill(FIREHOSE);
  await form.getByLabel('Role ARN').fill('arn:aws:iam::000000000000:role/s');
  await form.getByLabel('Output format').selectOption('opentelemetry1.0');
  await form.getByRole('button', { name: 'Create metric stream' }).click();
  const otel = table.getByRole('row').filter({ hasText: 'otel-out' });
  await otel.waitFor();
  await otel.getByRole('button', { name: 'Stop' }).click();
  await otel.getByText('stopped').waitFor();
  await otel.getByRole('button', { name: 'Delete otel-out' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await otel.waitFor({ state: 'detached' });
  await page.screenshot({ path: join(ARTIFACTS, 'metric-streams.png'), fullPage: true });
});
