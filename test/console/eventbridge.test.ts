// End-to-end (Chromium via playwright-core, real server): the EventBridge page. A custom bus is
// created in the page, then a rule whose pattern is tried live against a sample event (match, no
// match, AWS's InvalidEventPatternException), a CloudWatch Logs target with a retry policy, and a
// test event sent from the page that the rule delivers to the log group. A `rate(5 minutes)` rule
// shows its next five fire times, five minutes apart. An archive made in the page counts the bus's
// events, and a replay started from it is listed with its state. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand, PutResourcePolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { until } from '../helpers/until.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let logs: CloudWatchLogsClient;
let eb: EventBridgeClient;
let nativeDialogs: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const go = (path: string) => page.goto(server.url.replace(/\/$/, '') + path);

before(async () => {
  server = await startTestServer({ env: { OSPREY_DELIVERY_POLL_MS: '100', OSPREY_DELIVERY_BACKOFF_MS: '100' } });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  eb = new EventBridgeClient(sdkConfig(server.url));
  testBrowser = await signedInConsole(server.url);
  ({ page, nativeDialogs } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  logs?.destroy();
  eb?.destroy();
  await server?.stop();
  server?.cleanup();
});

const verdict = () => page.getByRole('status', { name: 'Pattern test result' });

test('a bus, a rule tried live against a sample event, a target and a test event make a delivery end to end', async () => {
  const group = '/aws/events/console-orders';
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new PutResourcePolicyCommand({
    policyName: 'events-to-logs',
    policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/*' }] }),
  }));

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'EventBridge' }).click();
  await page.getByRole('list', { name: 'Event buses' }).getByRole('link', { name: 'default' }).waitFor();
  await page.getByLabel('New event bus name').fill('orders-bus');
  await page.getByRole('button', { name: 'Create event bus' }).click();
  await page.getByRole('list', { name: 'Event buses' }).getByRole('link', { name: 'orders-bus' }).click();
  await page.waitForURL(/bus=orders-bus/);
  await page.getByText(/:event-bus\/orders-bus$/).waitFor();

  await page.getByRole('button', { name: 'Create rule' }).click();
  const form = page.getByRole('form', { name: 'Rule' });
  await form.getByLabel('Rule name').fill('order-placed');
  const pattern = form.getByRole('textbox', { name: 'Event pattern', exact: true });
  await pattern.fill('{"source": ["com.example.orders"], "detail": {"amount": [{"numeric": [">", 10]}]}}');
  await verdict().getByText('Match', { exact: true }).waitFor();
  await pattern.fill('{"source": ["somewhere.else"]}');
  await verdict().getByText('No match').waitFor();
  // Not an array of values: AWS's InvalidEventPatternException, with its code, in the page.
  await pattern.fill('{"source": "com.example.orders"}');
  const invalid = form.getByRole('region', { name: 'Test event pattern' }).getByRole('alert');
  await invalid.getByText('InvalidEventPatternException').waitFor();
  assert.ok((await invalid.innerText()).length > 'InvalidEventPatternException'.length + 5, 'the message follows the code');
  await shot('eventbridge-pattern-invalid');
  await pattern.fill('{"source": ["com.example.orders"], "detail-type": ["Order Placed"]}');
  await verdict().getByText('Match', { exact: true }).waitFor();
  await shot('eventbridge-rule-form');
  await form.getByRole('button', { name: 'Create rule' }).click();
  await page.waitForURL(/rule=order-placed/);
  await page.getByRole('heading', { name: 'order-placed' }).waitFor();

  const add = page.getByRole('form', { name: 'Add target' });
  await add.getByLabel('Target ID').fill('to-logs');
  await add.getByLabel('Target ARN').fill(`arn:aws:logs:us-east-1:000000000000:log-group:${group}`);
  await add.getByLabel('Maximum retry attempts').fill('3');
  await add.getByRole('button', { name: 'Add target' }).click();
  const targets = page.getByRole('table', { name: 'Targets' });
  await targets.getByRole('cell', { name: 'to-logs', exact: true }).waitFor();
  assert.match(await targets.innerText(), /3 retries/);

  await page.getByRole('tab', { name: 'Send test event' }).click();
  await page.getByRole('form', { name: 'Send test event' }).getByRole('button', { name: 'Send event' }).click();
  await page.getByRole('status').filter({ hasText: /Sent to orders-bus · EventId \S+/ }).waitFor();
  await shot('eventbridge-sent');

  await page.getByRole('tab', { name: 'Rules' }).click();
  const row = page.getByRole('table', { name: 'Rules' }).getByRole('row').filter({ has: page.getByRole('link', { name: 'order-placed' }) });
  await row.getByText('ENABLED').waitFor();
  assert.match(await row.innerText(), /com\.example\.orders/);
  const delivered = await until('the event in the target log group', async () => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    return out.events?.[0]?.message;
  }, 20_000);
  assert.equal((JSON.parse(delivered) as { 'detail-type': string })['detail-type'], 'Order Placed');

  // Disabling from the list shows the new state.
  await row.getByRole('button', { name: 'Disable order-placed' }).click();
  await row.getByText('DISABLED').waitFor();
  await shot('eventbridge-rules');
  assert.deepEqual(nativeDialogs, []);
});

test('a rate(5 minutes) rule shows its next five fire times, five minutes apart', async () => {
  await go('/eventbridge?bus=default&edit=');
  const form = page.getByRole('form', { name: 'Rule' });
  await form.getByLabel('Rule name').fill('every-five-minutes');
  await form.getByRole('radio', { name: 'Schedule' }).check();
  await form.getByLabel('Schedule expression').fill('rate(5 minutes)');
  await form.getByRole('list', { name: 'Next fire times' }).getByRole('listitem').nth(4).waitFor();
  await form.getByRole('button', { name: 'Create rule' }).click();
  await page.waitForURL(/rule=every-five-minutes/);
  const times = page.getByRole('list', { name: 'Next fire times' });
  await times.getByRole('listitem').nth(4).waitFor();
  const stamps = await times.locator('time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime') ?? '')));
  assert.equal(stamps.length, 5);
  assert.ok(stamps[0] > Date.now() - 60_000, 'the first fire time is in the future');
  for (let i = 1; i < stamps.length; i++) assert.equal(stamps[i] - stamps[i - 1], 5 * 60_000);
  await page.getByText('rate(5 minutes)').first().waitFor();
  await shot('eventbridge-schedule');
});

test('an archive created in the page counts the bus\'s events and a replay from it is listed with its state', async () => {
  await eb.send(new CreateEventBusCommand({ Name: 'archive-bus' }));
  await go('/eventbridge?bus=archive-bus&tab=archives');
  const create = page.getByRole('form', { name: 'Create archive' });
  await create.getByLabel('Archive name').fill('orders-archive');
  await create.getByRole('button', { name: 'Create archive' }).click();
  const archives = page.getByRole('table', { name: 'Archives' });
  const row = archives.getByRole('row').filter({ hasText: 'orders-archive' });
  await row.waitFor();
  const put = await eb.send(new PutEventsCommand({ Entries: [{ EventBusName: 'archive-bus', Source: 'com.example.orders', DetailType: 'Order Placed', Detail: '{}' }] }));
  assert.equal(put.FailedEntryCount, 0);
  // The list polls: the archived event shows in the Events column.
  await row.getByRole('cell', { name: '1', exact: true }).waitFor();

  const replay = page.getByRole('form', { name: 'Start replay' });
  await replay.getByLabel('Replay name').fill('replay-orders');
  await replay.getByLabel('Archive').selectOption('orders-archive');
  await replay.getByRole('button', { name: 'Start replay' }).click();
  await page.getByRole('status').filter({ hasText: 'Started replay replay-orders' }).waitFor();
  const replayRow = page.getByRole('table', { name: 'Replays' }).getByRole('row').filter({ hasText: 'replay-orders' });
  await replayRow.locator('.badge').filter({ hasText: /^(STARTING|RUNNING|COMPLETED)$/ }).waitFor();
  await shot('eventbridge-archives');
});
