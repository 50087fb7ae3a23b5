// End-to-end (Chromium via playwright-core, real server): the Hosts page. Two hosts publish the
// agent's CWAgent metrics — total and per-core CPU, memory, root and data disks, plus the
// aggregation copies without `host` — and one has a log stream named after it: the Host overview
// draws a line per host; both are listed with when they last reported and their CPU, memory and
// root-disk charts; the log stream link opens it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { hostsOf } from '../../web/src/pages/hosts-data.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;

before(async () => {
  server = await startTestServer({ modules: ['logs', 'cloudwatch'] });
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  try {
    const now = Date.now();
    const data: MetricDatum[] = [];
    for (const [host, load] of [['web-1', 60], ['db-1', 20]] as const) {
      for (let i = 0; i < 10; i++) {
        const Timestamp = new Date(now - (10 - i) * 60_000);
        const d = (MetricName: string, Value: number, dims: Record<string, string>) => data.push({
          MetricName, Value, Timestamp, Unit: 'Percent', Dimensions: Object.entries({ host, ...dims }).map(([Name, V]) => ({ Name, Value: V })),
        });
        d('cpu_usage_active', load + i, { cpu: 'cpu-total' });
        d('cpu_usage_active', 99, { cpu: 'cpu0' });
        d('mem_used_percent', 40 + i, {});
        d('disk_used_percent', 70, { path: '/', device: 'sda1', fstype: 'ext4' });
        d('disk_used_percent', 5, { path: '/data', device: 'sdb1', fstype: 'xfs' });
        data.push({ MetricName: 'mem_used_percent', Value: 1, Timestamp, Dimensions: [{ Name: 'InstanceId', Value: host }] });
      }
    }
    for (let i = 0; i < data.length; i += 500) await cw.send(new PutMetricDataCommand({ Namespace: 'CWAgent', MetricData: data.slice(i, i + 500) }));
    // The agent's container input: per-node series of two containers on web-1, and a cluster-wide copy.
    const ci: MetricDatum[] = [];
    for (const [container, cpu] of [['api', 30], ['worker', 5]] as const) {
      for (let i = 0; i < 10; i++) {
        const Timestamp = new Date(now - (10 - i) * 60_000);
        const Dimensions = [{ Name: 'ContainerName', Value: container }, { Name: 'NodeName', Value: 'web-1' }, { Name: 'ClusterName', Value: 'shop' }];
        ci.push({ MetricName: 'container_cpu_utilization', Value: cpu, Unit: 'Percent', Timestamp, Dimensions });
        ci.push({ MetricName: 'container_memory_utilization', Value: 10, Unit: 'Percent', Timestamp, Dimensions });
        ci.push({ MetricName: 'container_cpu_utilization', Value: cpu, Unit: 'Percent', Timestamp, Dimensions: [Dimensions[0]!, Dimensions[2]!] });
      }
    }
    await cw.send(new PutMetricDataCommand({ Namespace: 'ContainerInsights', MetricData: ci }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/containerinsights/shop/performance' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/aws/containerinsights/shop/performance', logStreamName: 'web-1' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/aws/containerinsights/shop/performance', logStreamName: 'web-1', logEvents: [{ timestamp: now, message: '{"Type":"Container","ContainerName":"api"}' }] }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/var/log/app' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/var/log/app', logStreamName: 'web-1' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/var/log/app', logStreamName: 'web-1', logEvents: [{ timestamp: now, message: 'GET / 200' }] }));
  } finally {
    cw.destroy();
    logs.destroy();
  }
});

after(async () => {
  await testBrowser?.close();
  await server?.stop();
  server?.cleanup();
});

test('a host\'s series: total CPU over per-core, the root disk, the host\'s own series over aggregation copies', () => {
  const m = (MetricName: string, dims: Record<string, string>) => ({ MetricName, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) });
  const [h] = hostsOf([
    m('cpu_usage_active', { host: 'a', cpu: 'cpu0' }), m('cpu_usage_active', { host: 'a', cpu: 'cpu-total', InstanceId: 'a' }),
    m('disk_used_percent', { host: 'a', path: '/data' }), m('disk_used_percent', { host: 'a', path: '/' }), m('mem_used_percent', { InstanceId: 'a' }),
  ]);
  assert.equal(h!.cpu!.Dimensions!.find((d) => d.Name === 'cpu')!.Value, 'cpu-total');
  assert.equal(h!.disk!.Dimensions!.find((d) => d.Name === 'path')!.Value, '/');
  assert.equal(h!.mem, undefined);
});

test('the Hosts page lists each agent host with last seen, CPU / memory / disk charts and its log streams', async () => {
  await page.goto(`${server.url.replace(/\/$/, '')}/hosts`);
  const table = page.getByRole('table', { name: 'Hosts' });
  const web = table.getByRole('row').filter({ hasText: 'web-1' });
  await web.waitFor();
  assert.equal(await table.getByRole('row').count(), 3, 'a header and two hosts');
  for (const chart of ['CPU % of web-1', 'Memory % of web-1', 'Disk / % of web-1', 'CPU % of db-1']) await page.getByTestId(chart).locator('canvas').first().waitFor();
  // The Host overview: one chart per kind with a line per host (the legend names them).
  const overview = page.getByTestId('CPU % of all hosts');
  await overview.locator('canvas').first().waitFor();
  assert.deepEqual(await overview.getByRole('list', { name: 'Legend' }).getByRole('listitem').allInnerTexts(), ['db-1', 'web-1']);
  assert.match(await web.innerText(), /web-1\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await page.screenshot({ path: join(ARTIFACTS, 'hosts.png'), fullPage: true });
  await page.getByRole('list', { name: 'Log streams of web-1' }).getByRole('link', { name: '/var/log/app' }).click();
  await page.waitForURL((u) => u.pathname === '/logs' && u.searchParams.get('stream') === 'web-1');
  await page.getByText('GET / 200').waitFor();
});

test('the containers of those hosts: CPU and memory charts per container, a link to the node\'s performance events', async () => {
  await page.goto(`${server.url.replace(/\/$/, '')}/hosts`);
  const table = page.getByRole('table', { name: 'Containers' });
  await table.getByRole('row').filter({ hasText: 'worker' }).waitFor();
  assert.equal(await table.getByRole('row').count(), 3, 'a header and two containers (the cluster-wide copies are not rows)');
  for (const chart of ['CPU % of api on web-1', 'Memory % of api on web-1', 'CPU % of worker on web-1']) await page.getByTestId(chart).locator('canvas').first().waitFor();
  await table.getByRole('row').filter({ hasText: 'api' }).getByRole('link', { name: 'performance' }).click();
  await page.waitForURL((u) => u.pathname === '/logs' && u.searchParams.get('group') === '/aws/containerinsights/shop/performance');
  await page.getByText('"ContainerName":"api"').waitFor();
});
