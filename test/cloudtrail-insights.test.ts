/**
 * CloudTrail Insights through the real server, with the interval shortened to 1 s and the baseline
 * window to 60 s: a burst of failing DeleteLogGroup calls after a calm start raises an
 * ApiErrorRateInsight Start record within one evaluation interval, found by LookupEvents
 * (EventCategory=insight), and an End with the same sharedEventID once the burst stops. Calm calls do
 * not raise one; another account's burst does not raise one here, nor in its own account, whose
 * trail has no insight selectors. Both records reach an EventBridge rule as "AWS Insight via CloudTrail".
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CloudTrailClient, CreateTrailCommand, LookupEventsCommand, PutInsightSelectorsCommand, StartLoggingCommand, type Event,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, FilterLogEventsCommand, PutResourcePolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { ACCOUNT, OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed CloudTrail record, read field by field
type Rec = Record<string, any>;
let server: TestServer;
let ct: CloudTrailClient;
let otherCt: CloudTrailClient;

before(async () => {
  server = await startTestServer({
    modules: ['logs', 'events', 'cloudtrail'],
    env: {
      OSPREY_CLOUDTRAIL_INSIGHTS_INTERVAL_MS: '1000',
      OSPREY_CLOUDTRAIL_INSIGHTS_WINDOW_MS: '60000',
      OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'trail-bucket': `file://${mkdtempSync(join(tmpdir(), 'osprey-insights-'))}` }),
      OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS,
    },
  });
  ct = new CloudTrailClient(sdkConfig(server.url));
  otherCt = new CloudTrailClient({ ...sdkConfig(server.url), credentials: OTHER });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const insights = async (client: CloudTrailClient): Promise<Array<{ e: Event; r: Rec }>> =>
  ((await client.send(new LookupEventsCommand({ EventCategory: 'insight', MaxResults: 50 }))).Events ?? [])
    .map((e) => ({ e, r: JSON.parse(e.CloudTrailEvent!) as Rec }));

/** `n` DeleteLogGroup calls on groups that do not exist: each fails with ResourceNotFoundException. */
async function failingDeletes(logs: CloudWatchLogsClient, n: number, prefix: string): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, i) =>
    logs.send(new DeleteLogGroupCommand({ logGroupName: `${prefix}-${i}` })).then(
      () => assert.fail('the group does not exist'),
      (err: Error) => assert.equal(err.name, 'ResourceNotFoundException'),
    )));
}

/** An EventBridge rule for "AWS Insight via CloudTrail" delivering to a log group; returns a reader of what arrived. */
async function insightRule(): Promise<() => Promise<Rec[]>> {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const eb = new EventBridgeClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/insights' }));
  await logs.send(new PutResourcePolicyCommand({
    policyName: 'events-to-logs',
    policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/events/*` }] }),
  }));
  await eb.send(new PutRuleCommand({ Name: 'insights', EventPattern: JSON.stringify({ source: ['aws.cloudtrail'], 'detail-type': ['AWS Insight via CloudTrail'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'insights', Targets: [{ Id: 'log', Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/events/insights` }] }));
  return async () => ((await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/insights' }))).events ?? []).map((e) => JSON.parse(e.message!) as Rec);
}

test('a burst of errors on one API raises an ApiErrorRateInsight Start within one interval, then its End; calm calls and other accounts raise none', async () => {
  const ruleDeliveries = await insightRule();
  await ct.send(new CreateTrailCommand({ Name: 'insights', S3BucketName: 'trail-bucket' }));
  await ct.send(new PutInsightSelectorsCommand({ TrailName: 'insights', InsightSelectors: [{ InsightType: 'ApiErrorRateInsight' }, { InsightType: 'ApiCallRateInsight' }] }));
  await ct.send(new StartLoggingCommand({ Name: 'insights' }));
  await otherCt.send(new CreateTrailCommand({ Name: 'plain', S3BucketName: 'trail-bucket' }));
  await otherCt.send(new StartLoggingCommand({ Name: 'plain' }));

  // Calm: one failing call every ~400 ms here for 4 s, while the other account bursts.
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const otherLogs = new CloudWatchLogsClient({ ...sdkConfig(server.url), credentials: OTHER });
  for (let i = 0; i < 10; i++) {
    if (i === 2) await failingDeletes(otherLogs, 60, 'elsewhere');
    await failingDeletes(logs, 1, `calm-${i}`);
    await sleep(400);
  }
  await sleep(1500); // the other account's burst has been evaluated
  assert.deepEqual(await insights(ct), [], 'neither calm calls nor another account\'s burst raise an insight here');
  assert.deepEqual(await insights(otherCt), [], 'a trail without insight selectors gets none');

  await failingDeletes(logs, 60, 'burst');
  const burstAt = Date.now();
  const start = await until('the ApiErrorRateInsight Start', async () =>
    (await insights(ct)).find((x) => x.r.insightDetails.insightType === 'ApiErrorRateInsight' && x.r.insightDetails.state === 'Start'), 5000);
  assert.ok(Date.now() - burstAt < 3000, `found ${Date.now() - burstAt} ms after the burst (interval 1 s, so the next pass)`);
  const r = start.r;
  assert.deepEqual(Object.keys(r), ['eventVersion', 'eventTime', 'awsRegion', 'eventID', 'eventType', 'recipientAccountId', 'sharedEventID', 'insightDetails', 'eventCategory']);
  assert.equal(r.eventType, 'AwsCloudTrailInsight');
  assert.equal(r.eventCategory, 'Insight');
  assert.equal(r.recipientAccountId, ACCOUNT);
  assert.equal(r.awsRegion, 'us-east-1');
  const d = r.insightDetails;
  assert.equal(d.eventSource, 'logs.amazonaws.com');
  assert.equal(d.eventName, 'DeleteLogGroup');
  assert.equal(d.errorCode, 'ResourceNotFoundException');
  const stats = d.insightContext.statistics;
  assert.ok(stats.insight.average > stats.baseline.average, JSON.stringify(stats));
  assert.ok(stats.insight.average >= 600, 'at least 10 errors in one 1 s interval = 600 per minute');
  assert.equal(stats.insightDuration, 1);
  assert.ok(stats.baselineDuration >= 1);
  const attrs = Object.fromEntries((d.insightContext.attributions as Rec[]).map((a) => [a.attribute, a]));
  assert.equal(attrs.errorCode.insight[0].value, 'ResourceNotFoundException');
  assert.equal(attrs.userIdentityArn.insight[0].value, `arn:aws:iam::${ACCOUNT}:root`);
  assert.match(attrs.userAgent.insight[0].value, /aws-sdk-js/);
  assert.equal(start.e.EventName, 'DeleteLogGroup');
  assert.equal(start.e.EventSource, 'logs.amazonaws.com');

  const end = await until('the End with the same sharedEventID', async () =>
    (await insights(ct)).find((x) => x.r.sharedEventID === r.sharedEventID && x.r.insightDetails.state === 'End'), 5000);
  assert.equal(end.r.insightDetails.errorCode, 'ResourceNotFoundException');
  assert.notEqual(end.r.eventID, r.eventID);
  assert.ok(Date.parse(end.r.eventTime) > Date.parse(r.eventTime));
  assert.equal(end.r.insightDetails.insightContext.statistics.baseline.average, stats.baseline.average, 'measured against the baseline it started with');

  // Both records went out on the default bus as "AWS Insight via CloudTrail" (source aws.cloudtrail).
  const onBus = await until('the Start and End at the EventBridge rule target', async () => {
    const got = (await ruleDeliveries()).filter((ev) => ev.detail.sharedEventID === r.sharedEventID);
    return got.length >= 2 ? got : undefined;
  }, 10_000);
  assert.deepEqual(onBus.map((ev) => [ev.source, ev['detail-type'], ev.detail.insightDetails.state]).sort(),
    [['aws.cloudtrail', 'AWS Insight via CloudTrail', 'End'], ['aws.cloudtrail', 'AWS Insight via CloudTrail', 'Start']]);

  // The same burst is an unusual write-call rate too; still nothing in the other account.
  assert.ok((await insights(ct)).some((x) => x.r.insightDetails.insightType === 'ApiCallRateInsight' && x.r.insightDetails.eventName === 'DeleteLogGroup'));
  assert.deepEqual(await insights(otherCt), []);
});
