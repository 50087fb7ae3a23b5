// End-to-end: the console's graphs in Debian's Chromium (playwright-core) against a real server,
// with data put by SDK v3: series labels and colors, per-row expression errors, log widgets drawn
// as charts, the metric browser, and the alarm graph's shading. Screenshots go to
// test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { type Locator, type Page } from 'playwright-core';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, PutMetricDataCommand, PutDashboardCommand, PutMetricAlarmCommand, type ComparisonOperator } from '@aws-sdk/client-cloudwatch';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { groupCount, logChartData } from '../../web/src/log-chart.ts';

const NS = 'MetricsConsole/EC2';
const SINGLE_NS = 'MetricsConsole/Single';
const GROUP = '/metrics-console/app';
const INSTANCES = ['i-1', 'i-2', 'i-3', 'i-4'];

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let logs: CloudWatchLogsClient;
let cw: CloudWatchClient;

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const go = (path: string) => page.goto(server.url.replace(/\/$/, '') + path);
const legendOf = (graph: Locator) => graph.getByRole('list', { name: 'Legend' }).getByRole('listitem');

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  cw = new CloudWatchClient(sdkConfig(server.url));
  const now = Date.now();
  // Four same-named series (one per instance), ten minutes of points each, with values 20…80 so
  // the alarm threshold at 50 sits mid-graph.
  await cw.send(new PutMetricDataCommand({ Namespace: NS, MetricData: INSTANCES.flatMap((id, k) => Array.from({ length: 10 }, (_, i) => ({
    MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }], Timestamp: new Date(now - (10 - i) * 60_000),
    Value: 20 + ((i * 7 + k * 13) % 61) + 0.729629440313595,
  }))) }));
  await cw.send(new PutMetricDataCommand({ Namespace: SINGLE_NS, MetricData: [{ MetricName: 'Lonely', Value: 1, Timestamp: new Date(now - 60_000) }] }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 's' }));
  await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 's', logEvents: Array.from({ length: 12 }, (_, i) => ({
    timestamp: now - (12 - i) * 60_000, message: JSON.stringify({ level: i % 3 === 0 ? 'ERROR' : 'INFO', ms: 10 * i }),
  })) }));

  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  logs?.destroy();
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
});

/** Distinct legend swatch colors (the swatch border always carries the series color). */
const swatchColors = async (graph: Locator) =>
  new Set(await graph.locator('.legend .swatch').evaluateAll((els) => els.map((e) => (globalThis as unknown as PageGlobals).getComputedStyle(e).borderTopColor)));

/** The page's globals used above, typed here because the project's Node typings have no DOM. */
interface PageGlobals { getComputedStyle(e: unknown): { borderTopColor: string } }

test('the namespace list counts metrics in the singular and the plural', async () => {
  await go('/metrics');
  const list = page.getByRole('list', { name: 'Namespaces' });
  await list.getByRole('link', { name: SINGLE_NS }).waitFor();
  assert.equal(await list.getByRole('listitem').filter({ hasText: SINGLE_NS }).locator('.muted').innerText(), '1 metric');
  assert.equal(await list.getByRole('listitem').filter({ hasText: NS }).locator('.muted').innerText(), '4 metrics');
});

test('clicking a metric name graphs it and marks it as graphed; its toggle takes it off again', async () => {
  await go(`/metrics?ns=${encodeURIComponent(NS)}`);
  const list = page.getByRole('list', { name: 'Metrics list' });
  await list.getByRole('button', { name: 'CPUUtilization InstanceId=i-1', exact: true }).click();
  await page.waitForURL(/graph=/);
  const toggle = list.getByRole('button', { name: 'Graph CPUUtilization InstanceId=i-1' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(await toggle.innerText(), '✓');
  assert.equal(await list.getByRole('button', { name: 'Graph CPUUtilization InstanceId=i-2' }).getAttribute('aria-pressed'), 'false');
  await shot('metrics-name-click');
  await toggle.click();
  await page.waitForURL((u) => !u.searchParams.has('graph'));
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  assert.equal(await toggle.innerText(), '+');
});

test('four CPUUtilization series get four legend entries named by instance, in four colors', async () => {
  await go(`/metrics?ns=${encodeURIComponent(NS)}`);
  const list = page.getByRole('list', { name: 'Metrics list' });
  for (const id of INSTANCES) {
    await list.getByRole('button', { name: `CPUUtilization InstanceId=${id}`, exact: true }).click();
    await list.getByRole('button', { name: `Graph CPUUtilization InstanceId=${id}`, pressed: true }).waitFor();
  }
  const graph = page.getByTestId('metrics-graph');
  await graph.locator('canvas').first().waitFor();
  await legendOf(graph).nth(3).waitFor();
  assert.deepEqual(await legendOf(graph).allInnerTexts(), INSTANCES.map((id) => `CPUUtilization ${id}`));
  assert.equal((await swatchColors(graph)).size, 4);
  await shot('metrics-four-series');
});

test('a bad math expression marks its own row and the other series still draw', async () => {
  const specs = [
    ...INSTANCES.slice(0, 2).map((id, i) => ({ id: `m${i + 1}`, namespace: NS, metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: id }], stat: 'Average' })),
    { id: 'e3', expression: 'm1 * 2', label: 'Double' },
    { id: 'e4', expression: 'NOSUCHFUNCTION(m1)' },
  ];
  await go(`/metrics?graph=${encodeURIComponent(JSON.stringify(specs))}`);
  const rows = page.getByRole('table', { name: 'Graphed metrics' });
  const error = rows.getByRole('alert', { name: 'Error in e4' });
  await error.waitFor();
  assert.match(await error.innerText(), /NOSUCHFUNCTION|e4/i);
  assert.equal(await rows.getByRole('alert').count(), 1, 'only the bad row is marked');
  const graph = page.getByTestId('metrics-graph');
  await graph.locator('canvas').first().waitFor();
  assert.deepEqual(await legendOf(graph).allInnerTexts(), ['CPUUtilization i-1', 'CPUUtilization i-2', 'Double']);
  assert.equal(await page.getByText('No data points in this time range.').count(), 0);
  await shot('metrics-bad-expression');
});

test('a dashboard metric widget labels same-named series apart and lists a bad expression beside the graph', async () => {
  await cw.send(new PutDashboardCommand({ DashboardName: 'four-cpus', DashboardBody: JSON.stringify({ widgets: [
    { type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { title: 'CPU', region: 'us-east-1', metrics: INSTANCES.map((id) => [NS, 'CPUUtilization', 'InstanceId', id]) } },
    { type: 'metric', x: 12, y: 0, width: 12, height: 6, properties: { title: 'With a bad expression', region: 'us-east-1', metrics: [
      [NS, 'CPUUtilization', 'InstanceId', 'i-1', { id: 'm1' }], [{ expression: 'm1 +', id: 'bad' }],
    ] } },
  ] }) }));
  await go('/dashboards?name=four-cpus');
  const cpu = page.getByRole('region', { name: 'CPU' });
  await cpu.locator('canvas').first().waitFor();
  await legendOf(cpu).nth(3).waitFor();
  assert.deepEqual(await legendOf(cpu).allInnerTexts(), INSTANCES.map((id) => `CPUUtilization ${id}`));
  assert.equal((await swatchColors(cpu)).size, 4);
  const bad = page.getByRole('region', { name: 'With a bad expression' });
  await bad.getByRole('alert').filter({ hasText: 'bad' }).waitFor();
  await bad.locator('canvas').first().waitFor();
  assert.equal(await bad.getByText('No data points in this time range.').count(), 0);
  await shot('dashboard-four-series');
});

test('dashboard log widgets with view bar or timeSeries draw their stats as charts, not tables', async () => {
  const log = (title: string, view: string | undefined, stats: string, x: number) => ({
    type: 'log', x, y: 0, width: 8, height: 6,
    properties: { title, region: 'us-east-1', ...(view && { view }), query: `SOURCE '${GROUP}' | ${stats}` },
  });
  await cw.send(new PutDashboardCommand({ DashboardName: 'log-charts', DashboardBody: JSON.stringify({ widgets: [
    log('Per minute (bar)', 'bar', 'stats count(*) as events by bin(1m)', 0),
    log('By level (bar)', 'bar', 'stats count(*) as events, avg(ms) as latency by level', 8),
    log('Per minute (line)', 'timeSeries', 'stats count(*) as events, max(ms) as slowest by bin(1m)', 16),
    { ...log('As a table', undefined, 'stats count(*) as events by level', 0), y: 6 },
  ] }) }));
  await go('/dashboards?name=log-charts');
  for (const title of ['Per minute (bar)', 'By level (bar)', 'Per minute (line)']) {
    const w = page.getByRole('region', { name: title });
    await w.getByTestId('log-widget-chart').locator('canvas').first().waitFor();
    assert.equal(await w.getByRole('table').count(), 0, `${title} is not a table`);
  }
  assert.deepEqual(await legendOf(page.getByRole('region', { name: 'By level (bar)' })).allInnerTexts(), ['events', 'latency']);
  assert.deepEqual(await legendOf(page.getByRole('region', { name: 'Per minute (line)' })).allInnerTexts(), ['events', 'slowest']);
  await page.getByRole('region', { name: 'As a table' }).getByRole('table', { name: 'Log widget results' }).waitFor();
  await shot('dashboard-log-charts');
});

/** Share of light-red pixels (the alarm shading over the panel) in the top and bottom halves of an element. */
async function redShare(el: Locator): Promise<{ top: number; bottom: number }> {
  const png = PNG.sync.read(await el.screenshot());
  const half = Math.floor(png.height / 2);
  const count = [0, 0];
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      // #d13212 at 12% over white is about (249, 230, 226).
      if (r > 240 && g > 215 && g < 240 && b > 210 && b < 236 && r - g > 10) count[y < half ? 0 : 1]!++;
    }
  }
  const n = half * png.width;
  return { top: count[0]! / n, bottom: count[1]! / n };
}

test('the alarm graph shades the alarm side of the threshold', async () => {
  const alarm = async (name: string, op: ComparisonOperator, threshold = 50) => cw.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: NS, MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-1' }],
    Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: threshold, ComparisonOperator: op,
  }));
  await alarm('cpu-high', 'GreaterThanThreshold');
  await alarm('cpu-low', 'LessThanThreshold');
  await go('/alarms?name=cpu-high');
  const high = page.getByTestId('alarm-graph');
  await high.locator('canvas').first().waitFor();
  const above = await redShare(high.locator('.chart'));
  await shot('alarm-shaded-above');
  assert.ok(above.top > 0.2 && above.bottom < above.top / 3, `shaded above: ${JSON.stringify(above)}`);
  await go('/alarms?name=cpu-low');
  const low = page.getByTestId('alarm-graph');
  await low.locator('canvas').first().waitFor();
  const below = await redShare(low.locator('.chart'));
  await shot('alarm-shaded-below');
  assert.ok(below.bottom > 0.2 && below.top < below.bottom / 3, `shaded below: ${JSON.stringify(below)}`);
  // A threshold far above the data stretches the axis to a round bound, printed short ("130k");
  // the canvas text is checked by eye in the screenshot, the formatter by graph-text.test.ts.
  await alarm('cpu-far', 'GreaterThanOrEqualToThreshold', 123456.789);
  await go('/alarms?name=cpu-far');
  await page.getByTestId('alarm-graph').locator('canvas').first().waitFor();
  await shot('alarm-far-threshold');
});

test('stats results become chart series: by-groups come first, a time group makes lines, others make bars', () => {
  assert.equal(groupCount("SOURCE 'g' | filter x | stats count(*), avg(ms) by bin(5m), level"), 2);
  assert.equal(groupCount('stats count(*)'), 0);
  assert.equal(groupCount('fields @message'), 0);
  const time = logChartData('stats count(*) as n by level, bin(1m)', ['level', 'bin(1m)', 'n'], [
    { level: 'ERROR', 'bin(1m)': '2024-01-01 12:01:00.000', n: '2' },
    { level: 'ERROR', 'bin(1m)': '2024-01-01 12:00:00.000', n: '1' },
    { level: 'INFO', 'bin(1m)': '2024-01-01 12:00:00.000', n: '5' },
  ]);
  const t0 = Date.UTC(2024, 0, 1, 12);
  assert.deepEqual(time, { kind: 'time', series: [
    { name: 'ERROR', points: [[t0, 1], [t0 + 60_000, 2]] },
    { name: 'INFO', points: [[t0, 5]] },
  ] });
  assert.deepEqual(logChartData('stats count(*) as n, max(ms) as slow by level', ['level', 'n', 'slow', '@ptr'], [
    { level: 'ERROR', n: '2', slow: '30' }, { level: 'INFO', n: '5', slow: '12.5' },
  ]), { kind: 'category', categories: ['ERROR', 'INFO'], series: [{ name: 'n', values: [2, 5] }, { name: 'slow', values: [30, 12.5] }] });
  assert.equal(logChartData('fields @message', ['@message'], [{ '@message': 'hello' }]), undefined, 'nothing numeric: a table');
});
