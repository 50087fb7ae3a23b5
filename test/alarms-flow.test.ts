// The seeds' canonical flow as one test: an app logs "ERROR" five times in a minute → a log metric
// filter produces a metric → an alarm goes to ALARM → an SNS topic notifies a person (a local HTTP
// subscriber that confirms its subscription like a real endpoint). Then the CLIs: `aws cloudwatch
// set-alarm-state` fires the actions, and DescribeAlarms / DescribeAlarmHistory read back through
// the Query protocol (/usr/bin/aws v2 and boto3 1.26).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, PutMetricAlarmCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { SNSClient, CreateTopicCommand, SubscribeCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { until } from './helpers/until.ts';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
let server: TestServer;
let receiver: Server;
/** An SNS HTTP(S) delivery as the subscriber receives it. */
interface SnsHttpMessage { Type: string; TopicArn: string; Subject?: string; Message: string; SubscribeURL?: string }
const messages: { headers: IncomingHttpHeaders; body: SnsHttpMessage }[] = [];

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SnsHttpMessage;
      messages.push({ headers: req.headers, body: m });
      // A real endpoint confirms by visiting SubscribeURL.
      if (m.Type === 'SubscriptionConfirmation') void fetch(m.SubscribeURL!);
      res.end();
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  server = await startTestServer({ env: { OSPREY_DELIVERY_POLL_MS: '100' } });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  receiver?.close();
});


test('ERROR ×5 in a minute → metric filter → alarm → SNS → the person is notified', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const sns = new SNSClient(sdkConfig(server.url));
  try {
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/oncall`;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'oncall' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
    await until('confirmed subscription', async () => {
      const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      return subs.Subscriptions?.[0]?.SubscriptionArn?.startsWith('arn:aws:sns:') ? true : undefined;
    });

    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/web' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/app/web', logStreamName: 'i-1' }));
    await logs.send(new PutMetricFilterCommand({
      logGroupName: '/app/web', filterName: 'errors', filterPattern: 'ERROR',
      metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App/Web', metricValue: '1', defaultValue: 0 }],
    }));
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: 'web-errors', AlarmDescription: 'Too many errors', Namespace: 'App/Web', MetricName: 'Errors', Statistic: 'Sum',
      Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching', AlarmActions: [TopicArn!],
    }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({
      logGroupName: '/app/web', logStreamName: 'i-1',
      logEvents: Array.from({ length: 7 }, (_, i) => ({ timestamp: now - 7 + i, message: i % 3 === 2 ? 'INFO ok' : `ERROR request ${i} failed` })),
    }));
    const note = await until('the alarm notification', () => messages.find((m) => m.body.Type === 'Notification'));
    assert.equal(note.headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(note.body.TopicArn, TopicArn);
    assert.equal(note.body.Subject, 'ALARM: "web-errors" in US East (N. Virginia)');
    const alarm = JSON.parse(note.body.Message);
    assert.equal(alarm.AlarmName, 'web-errors');
    assert.equal(alarm.NewStateValue, 'ALARM');
    assert.equal(alarm.Trigger.MetricName, 'Errors');
    assert.equal(alarm.Trigger.Threshold, 5);
    const state = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['web-errors'] }));
    assert.equal(state.MetricAlarms![0]!.StateValue, 'ALARM');
  } finally {
    logs.destroy();
    cw.destroy();
    sns.destroy();
  }
});

test('aws cloudwatch set-alarm-state (CLI v2, Query) fires the actions; history and alarms read back over Query', async () => {
  await run('/usr/bin/aws', ['cloudwatch', 'set-alarm-state', '--alarm-name', 'web-errors', '--state-value', 'OK', '--state-reason', 'manual reset',
    '--endpoint-url', server.url], { env: awsEnv() });
  // web-errors has only AlarmActions: the OK transition notifies nobody; back to ALARM does (CLI v1, JSON).
  await run('aws', ['cloudwatch', 'set-alarm-state', '--alarm-name', 'web-errors', '--state-value', 'ALARM', '--state-reason', 'drill',
    '--endpoint-url', server.url], { env: awsEnv() });
  await until('drill notification', () => messages.find((m) => m.body.Type === 'Notification' && JSON.parse(m.body.Message).NewStateReason === 'drill'));
  const script = `
import boto3, json
c = boto3.client('cloudwatch', endpoint_url=${JSON.stringify(server.url)}, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
a = c.describe_alarms(AlarmNames=['web-errors'])['MetricAlarms'][0]
h = c.describe_alarm_history(AlarmName='web-errors', HistoryItemType='StateUpdate', ScanBy='TimestampAscending')['AlarmHistoryItems']
print(json.dumps({'state': a['StateValue'], 'threshold': a['Threshold'], 'actions': a['AlarmActions'], 'history': [x['HistorySummary'] for x in h]}))
`;
  const { stdout } = await run('/usr/bin/python3', ['-c', script], { env: awsEnv() });
  const r = JSON.parse(stdout);
  assert.equal(r.state, 'ALARM');
  assert.equal(r.threshold, 5);
  assert.equal(r.actions.length, 1);
  assert.deepEqual(r.history.slice(-2), ['Alarm updated from ALARM to OK', 'Alarm updated from OK to ALARM']);
});
