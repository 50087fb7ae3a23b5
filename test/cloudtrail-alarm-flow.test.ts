// The seed's CloudTrail example end to end: a trail delivers to a log group; a metric filter on
// `{ ($.eventName = DeleteLogGroup) || ($.errorCode = "AccessDenied*") }` counts matching records;
// an alarm on that metric notifies an SNS topic whose HTTP subscriber confirmed like a real endpoint.
// Deleting a log group turns the alarm to ALARM and the person is notified.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let receiver: Receiver;
let bucketDir: string;

before(async () => {
  receiver = await startReceiver();
  bucketDir = mkdtempSync(join(tmpdir(), 'osprey-trail-bucket-'));
  server = await startTestServer({
    env: {
      OSPREY_DELIVERY_POLL_MS: '100', OSPREY_CLOUDTRAIL_DELIVERY_INTERVAL_MS: '500',
      OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'audit-bucket': `file://${bucketDir}` }),
    },
  });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await receiver?.close();
  rmSync(bucketDir, { recursive: true, force: true });
});

interface SnsHttpMessage { Type: string; TopicArn: string; Subject?: string; Message: string; SubscribeURL?: string }
const messages = () => receiver.received.map((r) => JSON.parse(r.body) as SnsHttpMessage);

test('trail → log group → metric filter → alarm → SNS: deleting a log group notifies the on-call person', { timeout: 90_000 }, async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const sns = new SNSClient(sdkConfig(server.url));
  const ct = new CloudTrailClient(sdkConfig(server.url));

  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'security' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${receiver.url}/security` }));
  const confirmation = await until('the subscription confirmation', () => messages().find((m) => m.Type === 'SubscriptionConfirmation'));
  await fetch(confirmation.SubscribeURL!);
  await until('a confirmed subscription', async () => {
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    return subs.Subscriptions?.[0]?.SubscriptionArn?.startsWith('arn:aws:sns:') ? true : undefined;
  });

  await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/audit' }));
  await ct.send(new CreateTrailCommand({
    Name: 'audit', S3BucketName: 'audit-bucket',
    CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:CloudTrail/audit:*',
    CloudWatchLogsRoleArn: 'arn:aws:iam::000000000000:role/CloudTrail_CloudWatchLogs_Role',
  }));
  await ct.send(new StartLoggingCommand({ Name: 'audit' }));
  await logs.send(new PutMetricFilterCommand({
    logGroupName: 'CloudTrail/audit', filterName: 'log-group-deletions',
    filterPattern: '{ ($.eventName = DeleteLogGroup) || ($.errorCode = "AccessDenied*") }',
    metricTransformations: [{ metricName: 'LogGroupDeletions', metricNamespace: 'CloudTrailMetrics', metricValue: '1' }],
  }));
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'log-group-deleted', Namespace: 'CloudTrailMetrics', MetricName: 'LogGroupDeletions', Statistic: 'Sum',
    Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching', AlarmActions: [TopicArn!],
  }));

  await logs.send(new CreateLogGroupCommand({ logGroupName: '/prod/payments' }));
  await logs.send(new DeleteLogGroupCommand({ logGroupName: '/prod/payments' }));

  const note = await until('the alarm notification', () => messages().find((m) => m.Type === 'Notification'), 60_000);
  assert.equal(note.TopicArn, TopicArn);
  assert.equal(note.Subject, 'ALARM: "log-group-deleted" in US East (N. Virginia)');
  const alarm = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['log-group-deleted'] }))).MetricAlarms?.[0];
  assert.equal(alarm?.StateValue, 'ALARM');
});
