// End-to-end (Chromium via playwright-core, real server): the Health page as an operator reads it —
// components with their status, open issues, the incident timeline and the event log — while the
// data directory's disk is "nearly full" (threshold forced to 100 % free) and an SNS delivery
// backlog opens and then clears. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { type Page } from 'playwright-core';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { metadataOnPostgres, startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { until } from '../helpers/until.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let endpoint: Receiver;

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

before(async () => {
  endpoint = await startReceiver();
  endpoint.status = 500;
  server = await startTestServer({
    modules: ['logs', 'sns', 'health'],
    env: {
      OSPREY_HEALTH_INTERVAL_MS: '200', OSPREY_HEALTH_BACKLOG_SECONDS: '1', OSPREY_HEALTH_DISK_FREE_PERCENT: '100',
      OSPREY_DELIVERY_POLL_MS: '100', OSPREY_DELIVERY_BACKOFF_MS: '100', OSPREY_DELIVERY_MAX_BACKOFF_MS: '300',
    },
  });
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  await server?.stop();
  server?.cleanup();
  await endpoint?.close();
});

const componentRow = (name: string) => page.getByRole('table', { name: 'Components' }).getByRole('row').filter({ hasText: name });

/** Refreshes until `row` reads like `re` (the monitor runs every 200 ms here; the page reloads every 15 s on its own). */
async function refreshUntil(what: string, text: () => Promise<string>, re: RegExp) {
  await until(what, async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForTimeout(300);
    return re.test(await text()) ? true : undefined;
  }, 20_000);
}

test('the Health page shows the nearly full disk as an impaired component and an open issue on the timeline', async () => {
  await page.getByRole('link', { name: 'Health', exact: true }).click();
  await page.getByRole('heading', { name: 'Health', exact: true }).waitFor();
  await refreshUntil('the disk impaired', () => componentRow('Disk').innerText(), /Impaired/);
  assert.match(await componentRow('Telemetry store').innerText(), /OK\s+None/);
  assert.match(await componentRow('Metadata store').innerText(), /OK/);
  // One node, beating: the cluster's component is there and OK.
  assert.match(await componentRow('Cluster nodes').innerText(), /OK/);
  const open = page.getByRole('table', { name: 'Open issues' });
  // With PostgreSQL metadata (several nodes possible) the entity names the node: host and data directory.
  const disk = metadataOnPostgres ? `${hostname()}:${resolve(server.dataDir)}` : server.dataDir;
  assert.match(await open.innerText(), new RegExp(`Disk nearly full\\s+${disk.replace(/[/.]/g, '\\$&')}\\s+Open`));
  assert.match(await open.innerText(), /below the 100 % threshold/);
  assert.equal(await page.getByTestId('health-timeline').getAttribute('data-incidents'), '1');
  await shot('health-disk');
});

test('a delivery backlog shows as impaired deliveries, then closes in the event log once the endpoint recovers', async () => {
  const sns = new SNSClient(sdkConfig(server.url));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'pager' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/hook` }));
  await refreshUntil('deliveries impaired', () => componentRow('Deliveries').innerText(), /Impaired/);
  assert.match(await page.getByRole('table', { name: 'Open issues' }).innerText(), /Delivery backlog\s+delivery\/sns\s+Open/);
  await shot('health-backlog-open');

  endpoint.status = 200;
  await refreshUntil('deliveries back to OK', () => componentRow('Deliveries').innerText(), /OK\s+Delivery backlog .* → /);
  const log = page.getByRole('table', { name: 'Event log' });
  assert.match(await log.getByRole('row').filter({ hasText: 'delivery/sns' }).innerText(), /Closed/);
  assert.match(await page.getByRole('region', { name: 'Open issues' }).getByRole('heading').innerText(), /Open issues \(1\)/);
  assert.equal(await page.getByTestId('health-timeline').getAttribute('data-incidents'), '2');
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1w' }).click();
  assert.match(page.url(), /range=1w/);
  await shot('health-backlog-closed');
  sns.destroy();
});
