// End-to-end (Chromium via playwright-core, real server): the Scheduler and Parameter Store pages.
// A schedule group and a rate() schedule to a log group are created in the page and listed with
// their expression, time zone and target; a SecureString parameter created in the page is masked
// until "Show", is found by browsing its hierarchy, gets a second version (history with a label) and
// is deleted behind an in-page confirmation. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let logs: CloudWatchLogsClient;
let scheduler: SchedulerClient;
let ssm: SSMClient;
let nativeDialogs: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const go = (path: string) => page.goto(server.url.replace(/\/$/, '') + path);
const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

before(async () => {
  server = await startTestServer({ modules: ['logs', 'scheduler', 'ssm'] });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  scheduler = new SchedulerClient(sdkConfig(server.url));
  ssm = new SSMClient(sdkConfig(server.url));
  testBrowser = await signedInConsole(server.url);
  ({ page, nativeDialogs } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  logs?.destroy();
  scheduler?.destroy();
  ssm?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('a schedule group and a rate() schedule to a log group, created in the page, are listed with their expression and target', async () => {
  const group = '/aws/scheduler/console-nightly';
  const groupArn = `arn:aws:logs:us-east-1:000000000000:log-group:${group}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));

  await nav('Scheduler').click();
  const groups = page.getByRole('list', { name: 'Schedule groups' });
  await groups.getByRole('link', { name: 'default' }).waitFor();
  await page.getByLabel('New schedule group name').fill('nightly');
  await page.getByRole('button', { name: 'Create schedule group' }).click();
  await groups.getByRole('link', { name: 'nightly' }).click();
  await page.waitForURL(/group=nightly/);
  await page.getByText(/:schedule-group\/nightly$/).waitFor();

  await page.getByRole('button', { name: 'Create schedule', exact: true }).click();
  const form = page.getByRole('form', { name: 'Schedule', exact: true });
  await form.getByLabel('Schedule name').fill('every-five');
  await form.getByLabel('Schedule expression').fill('rate(5 minutes)');
  await form.getByRole('list', { name: 'Next fire times' }).getByRole('listitem').nth(4).waitFor();
  // A bad expression is explained as typed, with the API's own text.
  await form.getByLabel('Schedule expression').fill('rate(5 minute)');
  await form.getByRole('status', { name: 'Fire time check' }).getByText(/Invalid Schedule Expression rate\(5 minute\)\./).waitFor();
  await form.getByLabel('Schedule expression').fill('rate(5 minutes)');
  await form.getByLabel('Target type').selectOption({ label: 'CloudWatch Logs log group' });
  await form.getByLabel('Target ARN').fill(groupArn);
  assert.equal(await form.getByLabel('Role ARN').inputValue(), 'arn:aws:iam::000000000000:role/scheduler');
  await form.getByLabel('Maximum retry attempts').fill('2');
  await shot('scheduler-form');
  await form.getByRole('button', { name: 'Create schedule' }).click();

  await page.waitForURL(/schedule=every-five/);
  await page.getByRole('heading', { name: 'every-five' }).waitFor();
  const times = page.getByRole('list', { name: 'Next fire times' });
  await times.getByRole('listitem').nth(4).waitFor();
  const stamps = await times.locator('time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime') ?? '')));
  for (let i = 1; i < stamps.length; i++) assert.equal(stamps[i] - stamps[i - 1], 5 * 60_000);
  assert.match(await page.getByLabel('Schedule JSON').innerText(), /"MaximumRetryAttempts": 2/);
  await shot('scheduler-detail');

  await page.getByRole('link', { name: '← Schedules' }).click();
  const row = page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ has: page.getByRole('link', { name: 'every-five' }) });
  await row.getByText('rate(5 minutes)').waitFor();
  const text = await row.innerText();
  assert.match(text, /ENABLED/);
  assert.match(text, /UTC/);
  assert.ok(text.includes(groupArn), text);
  await shot('scheduler-list');

  const stored = await scheduler.send(new GetScheduleCommand({ GroupName: 'nightly', Name: 'every-five' }));
  assert.equal(stored.Target?.Arn, groupArn);
  assert.equal(stored.Target?.RoleArn, 'arn:aws:iam::000000000000:role/scheduler');
  assert.equal(stored.FlexibleTimeWindow?.Mode, 'OFF');
  assert.deepEqual(nativeDialogs, []);
});

test('a SecureString parameter is masked until shown, browsed by path, versioned with a label and deleted in the page', async () => {
  const name = '/console/prod/db-password';
  await nav('Parameters').click();
  await page.getByRole('button', { name: 'Create parameter' }).click();
  const form = page.getByRole('form', { name: 'Parameter' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Description').fill('database password');
  await form.getByLabel('Type').selectOption('SecureString');
  await form.getByLabel('Value', { exact: true }).fill('s3cret-one');
  await form.getByLabel('Tags (key=value, one per line)').fill('team=core');
  await form.getByRole('button', { name: 'Create parameter' }).click();

  await page.waitForURL(/p=%2Fconsole%2Fprod%2Fdb-password/);
  const value = page.getByLabel('Parameter value');
  await value.getByText('••••••••').waitFor();
  assert.ok(!(await page.locator('main').innerText()).includes('s3cret-one'), 'the value is not on the page before Show');
  await page.getByLabel('Tags', { exact: true }).getByText('team=core').waitFor();
  await page.getByRole('region', { name: 'Value' }).getByRole('button', { name: 'Show' }).click();
  await value.getByText('s3cret-one').waitFor();
  await shot('parameters-revealed');

  await page.getByRole('link', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Parameter' });
  await edit.getByLabel('Value', { exact: true }).fill('s3cret-two');
  await edit.getByRole('button', { name: 'Save parameter' }).click();
  await page.waitForURL(/p=/);
  const history = page.getByRole('table', { name: 'Parameter history' });
  await history.getByRole('row').nth(2).waitFor();
  assert.equal(await history.getByRole('row').count(), 3, 'a header and two versions');
  assert.ok(!(await history.innerText()).includes('s3cret'), 'history values are masked');
  await page.getByRole('button', { name: 'Show values' }).click();
  await history.getByText('s3cret-one').waitFor();
  await history.getByText('s3cret-two').waitFor();
  const label = page.getByRole('form', { name: 'Add label' });
  await label.getByLabel('Label', { exact: true }).fill('prod');
  await label.getByRole('button', { name: 'Add label' }).click();
  const v2 = history.getByRole('row').filter({ has: page.getByRole('cell', { name: '2', exact: true }) });
  await v2.getByText('prod').waitFor();
  await shot('parameters-history');

  // Browsing the hierarchy from the top finds it.
  await go('/parameters');
  await page.getByRole('list', { name: 'Paths' }).getByRole('link', { name: '/console/' }).click();
  await page.getByRole('list', { name: 'Paths' }).getByRole('link', { name: '/console/prod/' }).click();
  await page.getByRole('navigation', { name: 'Hierarchy' }).getByText('prod').waitFor();
  await page.getByRole('table', { name: 'Parameters' }).getByRole('link', { name }).click();

  await page.getByRole('button', { name: `Delete ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete parameter' });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/path=%2Fconsole%2Fprod$/);
  await page.getByText('No parameters directly under /console/prod.').waitFor();
  await assert.rejects(ssm.send(new GetParameterCommand({ Name: name })), { name: 'ParameterNotFound' });
  assert.deepEqual(nativeDialogs, []);
});
