// End-to-end (Chromium via playwright-core, real server): the CloudTrail page. The console's sign-in
// is recorded as ConsoleLogin; a log group deleted through the SDK is found in event history with the
// Event name filter and its record shows requestParameters.logGroupName; a trail made in the form
// (bucket, log group, data events, Insights) starts and stops logging and is deleted behind an in-page
// confirmation; "Show in Logs Insights" opens the trail's log group; the Insights tab, with no
// Insights events, says so, and after a real burst of errors draws the insight with its detail.
// Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, GetEventSelectorsCommand, GetInsightSelectorsCommand, GetTrailStatusCommand,
  LookupEventsCommand, PutInsightSelectorsCommand, StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { insightBars } from '../../web/src/pages/cloudtrail-insights-data.ts';
import { advancedSelectors, choicesOf, type EventChoices } from '../../web/src/pages/cloudtrail-selectors.ts';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { until } from '../helpers/until.ts';

const ACCOUNT = '000000000000';
let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let logs: CloudWatchLogsClient;
let ct: CloudTrailClient;
let nativeDialogs: string[] = [];

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
    env: {
      OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'console-trail-bucket': `file://${mkdtempSync(join(tmpdir(), 'osprey-ct-console-'))}` }),
      // Insights counts in 1 s intervals over a 60 s baseline, so a burst in the test raises one.
      OSPREY_CLOUDTRAIL_INSIGHTS_INTERVAL_MS: '1000',
      OSPREY_CLOUDTRAIL_INSIGHTS_WINDOW_MS: '60000',
    },
  });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  ct = new CloudTrailClient(sdkConfig(server.url));
  testBrowser = await signedInConsole(server.url);
  ({ page, nativeDialogs } = testBrowser);
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
  // The unfiltered list (which also holds the sign-in) may still be showing while the filtered one
  // loads: wait for the list to settle before counting.
  const rows = events().getByRole('row');
  for (let i = 0; i < 50 && (await rows.count()) !== 2; i++) await page.waitForTimeout(100);
  assert.equal(await rows.count(), 2, 'a header and the one sign-in');
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

test('a real burst of errors appears on the Insights timeline; selecting it shows baseline vs insight averages and attributions', { timeout: 60_000 }, async () => {
  // The server counts in 1 s intervals (see before()): a calm start gives the baseline, then a
  // burst of failing DeleteLogGroup calls raises an ApiErrorRateInsight, which ends once it stops.
  await ct.send(new CreateTrailCommand({ Name: 'insights', S3BucketName: 'console-trail-bucket' }));
  await ct.send(new PutInsightSelectorsCommand({ TrailName: 'insights', InsightSelectors: [{ InsightType: 'ApiErrorRateInsight' }] }));
  await ct.send(new StartLoggingCommand({ Name: 'insights' }));
  const failingDeletes = (n: number, prefix: string) => Promise.all(Array.from({ length: n }, (_, i) =>
    logs.send(new DeleteLogGroupCommand({ logGroupName: `${prefix}-${i}` })).catch((e: Error) => assert.equal(e.name, 'ResourceNotFoundException'))));
  for (let i = 0; i < 8; i++) {
    await failingDeletes(1, `calm-${i}`);
    await new Promise((r) => setTimeout(r, 400));
  }
  await failingDeletes(60, 'burst');
  const insightRecords = async () => ((await ct.send(new LookupEventsCommand({ EventCategory: 'insight' }))).Events ?? [])
    .map((e) => JSON.parse(e.CloudTrailEvent!) as { insightDetails: { state: string } });
  await until('the insight to start and end', async () => {
    const states = (await insightRecords()).map((r) => r.insightDetails.state);
    return states.includes('Start') && states.includes('End') ? true : undefined;
  }, 20_000);

  await page.goto(`${server.url.replace(/\/$/, '')}/cloudtrail?tab=insights&range=1h`);
  await page.getByTestId('insights-timeline').locator('canvas').waitFor();
  const list = page.getByRole('table', { name: 'Insights' });
  const row = list.getByRole('row').filter({ hasText: 'DeleteLogGroup (ResourceNotFoundException)' });
  await row.waitFor();
  assert.equal(await list.getByRole('row').count(), 2, 'a header and one insight (Start and End paired)');
  assert.doesNotMatch(await row.innerText(), /ongoing/);
  await row.click();
  const detail = page.getByRole('region', { name: 'Insight detail' });
  await detail.getByText('Baseline average').waitFor();
  const text = await detail.innerText();
  assert.match(text, /ApiErrorRateInsight/);
  assert.match(text, /errors per minute over \d+ minutes?/);
  assert.match(text, /ResourceNotFoundException/);
  assert.match(text, /aws-sdk-js/, 'the user agent attribution');
  await shot('cloudtrail-insights-timeline');
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
