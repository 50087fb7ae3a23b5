// End-to-end (Chromium via playwright-core, real server): the CloudTrail page. The console's sign-in
// is recorded as ConsoleLogin; a log group deleted through the SDK is found in event history with the
// Event name filter and its record shows requestParameters.logGroupName; a trail made in the form
// (bucket, log group, data events, Insights) starts and stops logging and is deleted behind an in-page
// confirmation; "Show in Logs Insights" opens the trail's log group; the Insights tab, with no
// Insights events, says so. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetInsightSelectorsCommand, GetTrailStatusCommand, LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { insightBars } from '../../web/src/pages/cloudtrail-insights-data.ts';
import { advancedSelectors, choicesOf, type EventChoices } from '../../web/src/pages/cloudtrail-selectors.ts';
import { ARTIFACTS, launchTestBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';

const ACCOUNT = '000000000000';
let server: TestServer;
let browser: Browser;
let page: Page;
let testBrowser: TestBrowser;
let logs: CloudWatchLogsClient;
let ct: CloudTrailClient;
const nativeDialogs: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
const tab = (name: string) => page.getByRole('tablist', { name: 'CloudTrail sections' }).getByRole('tab', { name });
const events = () => page.getByRole('table', { name: 'Events' });
/** An event's row (not the record it expands to), by event name. */
const eventRow = (name: string) => events().locator('tr[aria-expanded]').filter({ has: page.getByRole('cell', { name, exact: true }) });

async function filterBy(attribute: string, value: string): Promise<void> {
  await page.getByLabel('Lookup attribute').selectOption({ label: attribute });
  await page.getByLabel('Attribute value').fill(value);
  await page.getByRole('button', { name: 'Apply' }).click();
}

before(async () => {
  server = await startTestServer({
    modules: ['logs', 'cloudtrail'],
    env: { OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'console-trail-bucket': `file://${mkdtempSync(join(tmpdir(), 'osprey-ct-console-'))}` }) },
  });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  ct = new CloudTrailClient(sdkConfig(server.url));
  testBrowser = await launchTestBrowser();
  browser = testBrowser.browser;
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, timezoneId: 'UTC' });
  page.setDefaultTimeout(20_000);
  page.on('dialog', (d) => {
    nativeDialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(server.url);
  await page.getByLabel('Access key ID').fill('test');
  await page.getByLabel('Secret access key').fill('test');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
});

after(async () => {
  await testBrowser?.close();
  logs?.destroy();
  ct?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('the console sign-in is recorded as ConsoleLogin (AwsConsoleSignIn) and found with the Event name filter', async () => {
  await nav('CloudTrail').click();
  await events().waitFor();
  await filterBy('Event name', 'ConsoleLogin');
  await page.waitForURL(/attr=EventName&value=ConsoleLogin/);
  const row = eventRow('ConsoleLogin');
  await row.getByText('signin.amazonaws.com').waitFor();
  assert.equal(await events().getByRole('row').count(), 2, 'a header and the one sign-in');
  await row.click();
  const record = await page.getByLabel('Event record').innerText();
  assert.match(record, /"eventType": "AwsConsoleSignIn"/);
  assert.match(record, /"ConsoleLogin": "Success"/);
  assert.match(record, /"accessKeyId": "test"/);
  await shot('cloudtrail-console-login');

  // The sign-in call is recorded once, as the sign-in: not also as the DescribeLogGroups it was made with.
  const found = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }] }));
  assert.equal(found.Events?.length, 1);
  const described = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeLogGroups' }] }));
  assert.equal(described.Events?.length ?? 0, 0);
});

test('a log group deleted through the SDK is found in event history, its record shows requestParameters.logGroupName', async () => {
  const group = '/console/doomed';
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new DeleteLogGroupCommand({ logGroupName: group }));

  await page.goto(`${server.url.replace(/\/$/, '')}/cloudtrail`);
  await filterBy('Event name', 'DeleteLogGroup');
  const row = eventRow('DeleteLogGroup');
  await row.getByText('logs.amazonaws.com').waitFor();
  const text = await row.innerText();
  assert.match(text, /AWS::Logs::LogGroup/);
  assert.ok(text.includes(group), text);
  await row.click();
  const record = JSON.parse(await page.getByLabel('Event record').innerText()) as { requestParameters: { logGroupName: string }; eventName: string };
  assert.equal(record.eventName, 'DeleteLogGroup');
  assert.equal(record.requestParameters.logGroupName, group);

  // By resource name, both calls on the group are found.
  await filterBy('Resource name', group);
  await eventRow('CreateLogGroup').waitFor();
  await eventRow('DeleteLogGroup').waitFor();

  // Without a trail delivering to a log group, Logs Insights has nothing to read: the button says so.
  await page.getByRole('button', { name: 'Show in Logs Insights' }).first().click();
  await page.getByRole('note').getByText(/make a trail deliver to a CloudWatch Logs log group/).waitFor();
  await shot('cloudtrail-history');
  assert.deepEqual(nativeDialogs, []);
});

test('a trail made in the form starts and stops logging, opens its log group in Logs Insights and is deleted', async () => {
  const groupName = 'CloudTrail/console';
  const groupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${groupName}:*`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: groupName }));
  await page.goto(`${server.url.replace(/\/$/, '')}/cloudtrail`);
  await tab('Trails').click();
  await page.getByText('No trails.', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Create trail' }).click();

  const form = page.getByRole('form', { name: 'Trail' });
  await form.getByLabel('Trail name').fill('console-audit');
  // A bucket the server cannot write to is refused with CloudTrail's own error.
  await form.getByLabel('S3 bucket name').fill('no-such-bucket');
  await form.getByLabel('Start logging when created').uncheck();
  await form.getByRole('button', { name: 'Create trail' }).click();
  await form.getByRole('alert').getByText('S3BucketDoesNotExistException').waitFor();

  await form.getByLabel('S3 bucket name').fill('console-trail-bucket');
  await form.getByLabel('S3 key prefix').fill('audit');
  await form.getByLabel('Log group ARN').fill(groupArn);
  await form.getByLabel('Role ARN').fill(`arn:aws:iam::${ACCOUNT}:role/CloudTrail_CloudWatchLogs_Role`);
  await form.getByLabel('Log file validation').check();
  await form.getByLabel('API activity').selectOption({ label: 'Write only' });
  await form.getByLabel(/CloudWatch Logs \(PutLogEvents/).check();
  await form.getByLabel('ApiErrorRateInsight').check();
  await shot('cloudtrail-trail-form');
  await form.getByRole('button', { name: 'Create trail' }).click();

  const trails = page.getByRole('table', { name: 'Trails' });
  const row = trails.getByRole('row').filter({ hasText: 'console-audit' });
  await row.getByText('Off', { exact: true }).waitFor();
  assert.match(await row.innerText(), /console-trail-bucket\/audit[\s\S]*CloudTrail\/console/);
  const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: 'console-audit' }));
  assert.deepEqual(selectors.AdvancedEventSelectors?.map((s) => s.FieldSelectors?.map((f) => `${f.Field}=${f.Equals?.join('|')}`)), [
    ['eventCategory=Management', 'readOnly=false'],
    ['eventCategory=Data', 'resources.type=AWS::Logs::LogGroup'],
  ]);
  const insights = await ct.send(new GetInsightSelectorsCommand({ TrailName: 'console-audit' }));
  assert.deepEqual(insights.InsightSelectors?.map((s) => s.InsightType), ['ApiErrorRateInsight']);

  await row.getByRole('button', { name: 'Start logging console-audit' }).click();
  await row.getByText('Logging', { exact: true }).waitFor();
  assert.equal((await ct.send(new GetTrailStatusCommand({ Name: 'console-audit' }))).IsLogging, true);
  await shot('cloudtrail-trails');

  // The edit form reads the trail back as it was made.
  await row.getByRole('link', { name: 'console-audit' }).click();
  const edit = page.getByRole('form', { name: 'Trail' });
  assert.equal(await edit.getByLabel('S3 key prefix').inputValue(), 'audit');
  assert.equal(await edit.getByLabel('API activity').inputValue(), 'WriteOnly');
  assert.equal(await edit.getByLabel('ApiErrorRateInsight').isChecked(), true);
  assert.equal(await edit.getByLabel('Log file validation').isChecked(), true);
  await page.getByRole('link', { name: '← Trails' }).click();

  // With a trail delivering to a log group, event history hands the event name over to Logs Insights.
  await tab('Event history').click();
  await filterBy('Event name', 'DeleteLogGroup');
  await eventRow('DeleteLogGroup').waitFor();
  await page.getByRole('button', { name: 'Show in Logs Insights' }).first().click();
  await page.waitForURL(/\/insights\?/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('groups'), groupName);
  assert.match(url.searchParams.get('query') ?? '', /filter eventName = "DeleteLogGroup"/);
  assert.equal(await page.getByRole('list', { name: 'Log group picker' }).getByLabel(groupName).isChecked(), true);

  await nav('CloudTrail').click();
  await tab('Trails').click();
  await row.getByRole('button', { name: 'Stop logging console-audit' }).click();
  await row.getByText('Off', { exact: true }).waitFor();
  assert.equal((await ct.send(new GetTrailStatusCommand({ Name: 'console-audit' }))).IsLogging, false);

  await row.getByRole('button', { name: 'Delete console-audit' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete trail' });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('status').getByText('Deleted trail console-audit').waitFor();
  await page.getByText('No trails.', { exact: false }).waitFor();
  assert.deepEqual((await ct.send(new DescribeTrailsCommand({}))).trailList, []);
  assert.deepEqual(nativeDialogs, []);
});

test('the Insights tab says when there are no Insights events in the range', async () => {
  await page.goto(`${server.url.replace(/\/$/, '')}/cloudtrail?tab=insights`);
  await page.getByText('No Insights events in this range.', { exact: false }).waitFor();
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '90d' }).click();
  await page.waitForURL(/range=90d/);
  await page.getByText('No Insights events in this range.', { exact: false }).waitFor();
  await shot('cloudtrail-insights-empty');
});

test('Insights events are drawn on a timeline; selecting one shows baseline vs insight averages and attributions', async () => {
  // The Insights job raises these only after a real burst; here the page's LookupEvents(insight) answer
  // is stubbed with AWS-shaped records (a closed call-rate insight and an open error-rate one).
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const record = (id: string, state: string, at: number, details: Record<string, unknown>) => ({
    EventId: `${id}-${state}`, EventName: details.eventName, EventTime: at / 1000, EventSource: 'insight.cloudtrail.amazonaws.com', ReadOnly: 'false', Resources: [],
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.09', eventTime: iso(at), awsRegion: 'us-east-1', eventID: `${id}-${state}`, eventType: 'AwsCloudTrailInsight',
      recipientAccountId: ACCOUNT, sharedEventID: id, eventCategory: 'Insight',
      insightDetails: { state, eventSource: 'logs.amazonaws.com', ...details },
    }),
  });
  const rise = {
    eventName: 'DeleteLogGroup', insightType: 'ApiCallRateInsight',
    insightContext: {
      statistics: { baseline: { average: 0.25 }, insight: { average: 42 }, insightDuration: 5, baselineDuration: 1440 },
      attributions: [{ attribute: 'userAgent', insight: [{ value: 'Boto3/1.26.0', average: 42 }], baseline: [{ value: 'aws-cli/2.9', average: 0.25 }] }],
    },
  };
  const errors = { eventName: 'PutLogEvents', insightType: 'ApiErrorRateInsight', errorCode: 'AccessDeniedException', insightContext: { statistics: { baseline: { average: 0 }, insight: { average: 0.6 } } } };
  const stubbed = [record('i-2', 'Start', now - 20 * 60_000, errors), record('i-1', 'End', now - 3_600_000, rise), record('i-1', 'Start', now - 3_900_000, rise)];
  await page.route('**/*', async (route) => {
    const req = route.request();
    if (req.method() === 'POST' && (req.headers()['x-amz-target'] ?? '').endsWith('.LookupEvents') && /"EventCategory":"insight"/.test(req.postData() ?? '')) {
      await route.fulfill({ status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ Events: stubbed }) });
    } else await route.fallback();
  });
  try {
    await page.goto(`${server.url.replace(/\/$/, '')}/cloudtrail?tab=insights&range=1d`);
    await page.getByTestId('insights-timeline').locator('canvas').waitFor();
    const list = page.getByRole('table', { name: 'Insights' });
    assert.equal(await list.getByRole('row').count(), 3, 'a header and two insights (Start and End paired)');
    assert.match(await list.getByRole('row').nth(2).innerText(), /PutLogEvents \(AccessDeniedException\)[\s\S]*ongoing/);
    await list.getByRole('row').filter({ hasText: 'DeleteLogGroup' }).click();
    const detail = page.getByRole('region', { name: 'Insight detail' });
    await detail.getByText('Baseline average').waitFor();
    const text = await detail.innerText();
    assert.match(text, /0\.25 calls per minute over 1440 minutes/);
    assert.match(text, /42\.0 calls per minute over 5 minutes/);
    assert.match(text, /Boto3\/1\.26\.0: 42\.0/);
    await shot('cloudtrail-insights-timeline');
  } finally {
    await page.unroute('**/*');
  }
});

test('Insights records pair into timeline bars: Start with End, an open one running to now, an End whose Start is before the range', () => {
  const rec = (id: string, state: string, time: string, extra: Record<string, unknown> = {}) => JSON.stringify({
    eventTime: time, sharedEventID: id, eventType: 'AwsCloudTrailInsight', eventCategory: 'Insight',
    insightDetails: { state, eventSource: 'logs.amazonaws.com', eventName: 'DeleteLogGroup', insightType: 'ApiCallRateInsight', ...extra },
  });
  const stats = { insightContext: { statistics: { baseline: { average: 0.5 }, insight: { average: 12 }, insightDuration: 3 }, attributions: [{ attribute: 'userAgent', insight: [{ value: 'boto3', average: 12 }] }] } };
  const start = Date.parse('2026-01-01T00:00:00Z');
  const now = Date.parse('2026-01-02T00:00:00Z');
  const bars = insightBars([
    rec('a', 'End', '2026-01-01T10:03:00Z', stats), rec('a', 'Start', '2026-01-01T10:00:00Z'),
    rec('b', 'Start', '2026-01-01T20:00:00Z', { insightType: 'ApiErrorRateInsight', errorCode: 'AccessDenied' }),
    rec('c', 'End', '2026-01-01T01:00:00Z'), 'not json',
  ], { start, now });
  assert.deepEqual(bars.map((b) => [b.id, b.lane, new Date(b.start).toISOString(), new Date(b.end).toISOString(), b.open, b.startClipped]), [
    ['c', 'DeleteLogGroup · ApiCallRateInsight', '2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z', false, true],
    ['a', 'DeleteLogGroup · ApiCallRateInsight', '2026-01-01T10:00:00.000Z', '2026-01-01T10:03:00.000Z', false, false],
    ['b', 'DeleteLogGroup · ApiErrorRateInsight · AccessDenied', '2026-01-01T20:00:00.000Z', '2026-01-02T00:00:00.000Z', true, false],
  ]);
  assert.equal(bars[1].statistics?.insight?.average, 12, 'the End record\'s statistics');
  assert.equal(bars[1].attributions[0].attribute, 'userAgent');
});

test('the trail form\'s event choices survive a round trip through advanced selectors; selectors it cannot show are flagged', () => {
  const choices: EventChoices = { management: true, readWrite: 'ReadOnly', dataTypes: ['AWS::CloudWatch::Metric', 'AWS::Events::EventBus'] };
  assert.deepEqual(choicesOf({ AdvancedEventSelectors: advancedSelectors(choices) }), { choices, exact: true });
  assert.deepEqual(choicesOf({}), { choices: { management: true, readWrite: 'All', dataTypes: [] }, exact: true }, 'a new trail logs all management events');
  const basic = choicesOf({ EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::Logs::LogGroup', Values: ['arn:aws:logs'] }] }] });
  assert.deepEqual(basic, { choices: { management: false, readWrite: 'WriteOnly', dataTypes: ['AWS::Logs::LogGroup'] }, exact: true });
  const narrow = choicesOf({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Logs::LogGroup'] }, { Field: 'eventName', Equals: ['PutLogEvents'] }] }] });
  assert.equal(narrow.exact, false, 'an eventName condition has no field in the form');
});
