// End-to-end (Chromium via playwright-core, real server, data put by SDK v3): composite alarms on the
// Alarms page, the alarm form's layout, Insights saved queries and failing queries, SNS topic
// publish / unsubscribe / delete, and the favicon. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, DescribeQueryDefinitionsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, PutMetricAlarmCommand, PutCompositeAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { SNSClient, CreateTopicCommand, SubscribeCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';


let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let logs: CloudWatchLogsClient;
let cw: CloudWatchClient;
let sns: SNSClient;
/** Native browser dialogs (alert/confirm/prompt) seen: the console must use in-page ones. */
let nativeDialogs: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const go = (path: string) => page.goto(server.url.replace(/\/$/, '') + path);

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  cw = new CloudWatchClient(sdkConfig(server.url));
  sns = new SNSClient(sdkConfig(server.url));
  testBrowser = await signedInConsole(server.url);
  ({ page, nativeDialogs } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  logs?.destroy();
  cw?.destroy();
  sns?.destroy();
  await server?.stop();
  server?.cleanup();
});

async function box(l: Locator) {
  const b = await l.boundingBox();
  assert.ok(b, 'element is not visible');
  return b;
}

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('composite alarms show in the list with their rule, children and state, and have a detail view', async () => {
  const metric = { Namespace: 'Console/Composite', MetricName: 'Errors', Statistic: 'Sum' as const, Period: 60, EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold' as const };
  await cw.send(new PutMetricAlarmCommand({ AlarmName: 'child-errors', ...metric }));
  await cw.send(new PutMetricAlarmCommand({ AlarmName: 'child-latency', ...metric, MetricName: 'Latency' }));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'composite-page' }));
  await cw.send(new PutCompositeAlarmCommand({
    AlarmName: 'service-health', AlarmRule: 'ALARM("child-errors") OR ALARM(child-latency)', AlarmActions: [TopicArn!],
    AlarmDescription: 'Page when either child alarms',
  }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'child-errors', StateValue: 'ALARM', StateReason: 'test' }));

  await go('/alarms');
  const row = page.getByRole('table', { name: 'Alarms' }).getByRole('row').filter({ has: page.getByRole('link', { name: 'service-health', exact: true }) });
  await row.waitFor();
  assert.match(await row.innerText(), /ALARM\("child-errors"\) OR ALARM\(child-latency\)/);
  // The composite's own state (first cell) follows its child into ALARM.
  await row.getByRole('cell').first().locator('.badge-alarm').waitFor({ timeout: 30_000 });
  const children = row.getByRole('list', { name: 'Child alarms' });
  assert.equal(await children.getByRole('link', { name: 'child-errors' }).count(), 1);
  assert.equal(await children.getByRole('link', { name: 'child-latency' }).count(), 1);
  await children.getByRole('listitem').filter({ hasText: 'child-errors' }).locator('.badge-alarm').waitFor();
  assert.equal(await children.getByRole('listitem').filter({ hasText: 'child-latency' }).locator('.badge-alarm').count(), 0);
  await shot('alarms-composite-list');

  await row.getByRole('link', { name: 'service-health', exact: true }).click();
  await page.waitForURL(/name=service-health/);
  await page.getByText('ALARM("child-errors") OR ALARM(child-latency)').first().waitFor();
  const childTable = page.getByRole('table', { name: 'Child alarms' });
  await childTable.getByRole('link', { name: 'child-errors' }).waitFor();
  assert.equal(await childTable.getByRole('row').count(), 3);
  await page.getByRole('table', { name: 'Alarm actions' }).getByText(TopicArn!).waitFor();
  await page.getByRole('table', { name: 'Alarm history' }).getByText(/ALARM/).first().waitFor();
  await shot('alarm-composite-detail');
  // A child links to its own detail page.
  await childTable.getByRole('link', { name: 'child-errors' }).click();
  await page.waitForURL(/name=child-errors/);
  await page.locator('[data-testid="alarm-graph"]').waitFor();

  // Deleting asks in the page first, then the composite leaves the list.
  await go('/alarms?name=service-health');
  await page.getByRole('button', { name: 'Delete' }).click();
  const confirmDelete = page.getByRole('dialog', { name: 'Delete alarm' });
  await confirmDelete.getByText('service-health').waitFor();
  await confirmDelete.getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/alarms$/);
  await page.getByRole('table', { name: 'Alarms' }).getByRole('link', { name: 'child-errors' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'service-health', exact: true }).count(), 0);
  assert.deepEqual(nativeDialogs, []);
});

for (const viewport of [{ width: 1400, height: 900 }, { width: 1024, height: 768 }]) {
  test(`the alarm form fields stay inside the card without overlapping at ${viewport.width}px`, async () => {
    await page.setViewportSize(viewport);
    try {
      await go('/alarms?edit=');
      const form = page.getByRole('form', { name: 'Alarm' });
      await form.waitFor();
      const card = await box(form);
      const inside = (b: { x: number; y: number; width: number; height: number }) =>
        b.x >= card.x - 0.5 && b.x + b.width <= card.x + card.width + 0.5;
      const condition = await box(form.getByLabel('Condition'));
      const threshold = await box(form.getByLabel('Threshold', { exact: true }));
      assert.ok(!overlaps(condition, threshold), `Condition ${JSON.stringify(condition)} overlaps Threshold ${JSON.stringify(threshold)}`);
      // Every field of the form keeps within the card, and no two fields of a row overlap.
      const fields = await form.locator('input, select').all();
      const boxes = await Promise.all(fields.map(box));
      for (const [i, b] of boxes.entries()) {
        assert.ok(inside(b), `field ${i} ${JSON.stringify(b)} leaves the card ${JSON.stringify(card)}`);
        for (const other of boxes.slice(i + 1)) assert.ok(!overlaps(b, other), `fields overlap: ${JSON.stringify(b)} / ${JSON.stringify(other)}`);
      }
      const dta = await box(form.getByLabel('Datapoints to alarm'));
      assert.ok(inside(dta), `Datapoints to alarm ${JSON.stringify(dta)} leaves the card ${JSON.stringify(card)}`);
      await shot(`alarm-form-${viewport.width}`);
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });
}

async function seedGroup(name: string, messages: string[]) {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: 's' }));
  const now = Date.now();
  await logs.send(new PutLogEventsCommand({ logGroupName: name, logStreamName: 's', logEvents: messages.map((message, i) => ({ timestamp: now - 5000 + i, message })) }));
}

test('Insights saves a query with its log groups in an in-page dialog and restores them on open', async () => {
  await seedGroup('/insights/a', ['a one', 'a two']);
  await seedGroup('/insights/b', ['b one']);
  await go(`/insights?groups=${encodeURIComponent('/insights/a,/insights/b')}`);
  await page.getByLabel('Query', { exact: true }).fill('fields @message | filter @message like /one/');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Save query' });
  await dialog.waitFor();
  await dialog.getByLabel('Name').fill('ones in a and b');
  await shot('insights-save-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('list', { name: 'Saved queries' }).getByRole('link', { name: 'ones in a and b' }).waitFor();
  const defs = (await logs.send(new DescribeQueryDefinitionsCommand({}))).queryDefinitions ?? [];
  const saved = defs.find((d) => d.name === 'ones in a and b');
  assert.deepEqual([...(saved?.logGroupNames ?? [])].sort(), ['/insights/a', '/insights/b']);

  // Cancel leaves nothing behind.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('dialog', { name: 'Save query' }).getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('dialog', { name: 'Save query' }).waitFor({ state: 'hidden' });

  // A fresh page without groups: opening the saved query brings back its text and both groups.
  await go('/insights');
  await page.getByRole('list', { name: 'Saved queries' }).getByRole('link', { name: 'ones in a and b' }).click();
  await page.waitForURL(/groups=/);
  const picker = page.getByRole('list', { name: 'Log group picker' });
  assert.equal(await picker.getByLabel('/insights/a').isChecked(), true);
  assert.equal(await picker.getByLabel('/insights/b').isChecked(), true);
  assert.equal(await page.getByLabel('Query', { exact: true }).inputValue(), 'fields @message | filter @message like /one/');
  await page.getByRole('button', { name: 'Run query' }).click();
  const results = page.getByRole('table', { name: 'Query results' });
  await results.waitFor();
  await results.getByText('b one').waitFor();
  assert.equal(await results.locator('tbody > tr').count(), 2);
  await shot('insights-saved-reopened');
  assert.deepEqual(nativeDialogs, []);
});

test('a failing Insights query replaces the previous results with its error', async () => {
  await go(`/insights?groups=${encodeURIComponent('/insights/a')}`);
  await page.getByLabel('Query', { exact: true }).fill('fields @message');
  await page.getByRole('button', { name: 'Run query' }).click();
  await page.getByRole('table', { name: 'Query results' }).waitFor();
  await page.getByLabel('Query', { exact: true }).fill('fields @message | nosuchcommand x');
  await page.getByRole('button', { name: 'Run query' }).click();
  const err = page.getByRole('alert');
  await err.waitFor();
  assert.match(await err.innerText(), /Malformed|nosuchcommand|unexpected|unknown/i);
  assert.equal(await page.getByRole('table', { name: 'Query results' }).count(), 0);
  assert.equal(await page.locator('[data-testid="histogram"]').count(), 0);
  await shot('insights-failed-query');
  // The next good run clears the banner.
  await page.getByLabel('Query', { exact: true }).fill('fields @message');
  await page.getByRole('button', { name: 'Run query' }).click();
  await page.getByRole('table', { name: 'Query results' }).waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
});

test('Topics: publish shows the message id, unsubscribe and delete ask first and work', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'console-ops' }));
  // A Slack subscription is confirmed at once, so it has a real ARN to unsubscribe.
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: 'http://127.0.0.1:9/hook', ReturnSubscriptionArn: true }));
  await go(`/topics?topic=${encodeURIComponent(TopicArn!)}`);
  await page.getByRole('table', { name: 'Subscriptions' }).getByText(SubscriptionArn!).waitFor();

  await page.getByLabel('Message').fill('hello from the console');
  await page.getByRole('button', { name: 'Publish' }).click();
  const notice = page.getByRole('status').filter({ hasText: 'Published' });
  await notice.waitFor();
  assert.match(await notice.innerText(), /MessageId [0-9a-f-]{36}/);
  await shot('topics-published');

  await page.getByRole('button', { name: `Unsubscribe ${SubscriptionArn}` }).click();
  const confirmUnsub = page.getByRole('dialog', { name: 'Unsubscribe' });
  await confirmUnsub.waitFor();
  await shot('topics-unsubscribe-confirm');
  await confirmUnsub.getByRole('button', { name: 'Unsubscribe' }).click();
  await page.getByText('No subscriptions.').waitFor();
  assert.equal(((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions ?? []).length, 0);

  await page.getByRole('button', { name: 'Delete topic' }).click();
  const confirmDelete = page.getByRole('dialog', { name: 'Delete topic' });
  await confirmDelete.waitFor();
  // Cancel first: nothing happens.
  await confirmDelete.getByRole('button', { name: 'Cancel' }).click();
  await confirmDelete.waitFor({ state: 'hidden' });
  assert.ok(((await sns.send(new ListTopicsCommand({}))).Topics ?? []).some((t) => t.TopicArn === TopicArn));
  await page.getByRole('button', { name: 'Delete topic' }).click();
  await confirmDelete.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('Select a topic to see its subscriptions.').waitFor();
  await page.getByRole('status').filter({ hasText: 'Deleted topic console-ops' }).waitFor();
  // The notice shows as the delete returns; the topic list reloads right after it.
  await page.getByRole('list', { name: 'Topics' }).getByRole('link', { name: 'console-ops' }).waitFor({ state: 'detached' });
  assert.ok(!((await sns.send(new ListTopicsCommand({}))).Topics ?? []).some((t) => t.TopicArn === TopicArn));
  await shot('topics-deleted');
  assert.deepEqual(nativeDialogs, []);
});

test('the console ships a favicon', async () => {
  const ico = await fetch(`${server.url.replace(/\/$/, '')}/favicon.ico`);
  assert.equal(ico.status, 200);
  assert.match(ico.headers.get('content-type') ?? '', /^image\//);
  await go('/topics');
  const hrefs = await page.locator('link[rel~="icon"]').evaluateAll((ls) => ls.map((l) => l.getAttribute('href') ?? ''));
  assert.ok(hrefs.length > 0, 'index.html links an icon');
  for (const h of hrefs) {
    const r = await fetch(new URL(h, server.url));
    assert.equal(r.status, 200, h);
    assert.match(r.headers.get('content-type') ?? '', /^image\//);
  }
});
