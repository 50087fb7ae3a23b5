// End-to-end (Chromium via playwright-core, real server): anomaly detection and Contributor Insights
// in the console. "Enable anomaly detection" on a graphed metric adds ANOMALY_DETECTION_BAND and
// draws the band; a band alarm that fired shows its graph and the host behind the spike; a
// Contributor Insights rule created in the form reports its top contributors as a chart and a table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { until } from '../helpers/until.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let cw: CloudWatchClient;
const base = () => server.url.replace(/\/$/, '');

before(async () => {
  server = await startTestServer({ modules: ['logs', 'cloudwatch'] });
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
  cw = new CloudWatchClient(sdkConfig(server.url));
});

after(async () => {
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
