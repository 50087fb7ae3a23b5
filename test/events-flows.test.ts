/**
 * EventBridge flows a user notices: scheduled rules (rate and cron) fire on the second; an alarm
 * going to ALARM puts a "CloudWatch Alarm State Change" event on the default bus that a rule routes
 * to an SNS topic (the seeds' flow); the AWS CLI v1 and boto3 1.26 drive the same API.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const run = promisify(execFile);
const RATE_FN = 'arn:aws:lambda:us-east-1:000000000000:function:every-minute';
const CRON_FN = 'arn:aws:lambda:us-east-1:000000000000:function:on-the-minute';
let server: TestServer;
let rx: Receiver;
let eb: EventBridgeClient;

before(async () => {
  rx = await startReceiver();
  server = await startTestServer({
    modules: ['events', 'sns', 'cloudwatch', 'logs'],
    env: { OSPREY_DELIVERY_POLL_MS: '100', OSPREY_LAMBDA_URLS: JSON.stringify({ [RATE_FN]: `${rx.url}/rate`, [CRON_FN]: `${rx.url}/cron` }) },
  });
  eb = new EventBridgeClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await rx?.close();
});

/** Scheduled events' `time` is the occurrence's due second; lateness is arrival minus that. */
function lateness(path: string): number[] {
  return rx.received.filter((r) => r.path === path).map((r) => r.at - Date.parse((JSON.parse(r.body) as { time: string }).time));
}

/** CI measures two fires of each rule; OSPREY_LONG=1 measures five minutes (five fires each). */
const FIRES = process.env.OSPREY_LONG ? 5 : 2;

test('rate(1 minute) and cron(* * * * ? *) fire every minute, each within 1 s of its due second', { timeout: (FIRES + 2) * 62_000 }, async () => {
  await eb.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)' }));
  await eb.send(new PutTargetsCommand({ Rule: 'every-minute', Targets: [{ Id: 'fn', Arn: RATE_FN }] }));
  await eb.send(new PutRuleCommand({ Name: 'on-the-minute', ScheduleExpression: 'cron(* * * * ? *)' }));
  await eb.send(new PutTargetsCommand({ Rule: 'on-the-minute', Targets: [{ Id: 'fn', Arn: CRON_FN }] }));
  await until(`${FIRES} fires of each rule`, () => (lateness('/rate').length >= FIRES && lateness('/cron').length >= FIRES ? true : undefined), (FIRES + 1) * 61_000);
  const cron = rx.received.filter((r) => r.path === '/cron').map((r) => JSON.parse(r.body) as { time: string; source: string; 'detail-type': string; resources: string[] });
  assert.deepEqual([cron[0]!.source, cron[0]!['detail-type'], cron[0]!.resources], ['aws.events', 'Scheduled Event', ['arn:aws:events:us-east-1:000000000000:rule/on-the-minute']]);
  assert.ok(cron.every((e) => /:00Z$/.test(e.time)), 'cron occurrences are on the minute');
  assert.equal(Date.parse(cron[1]!.time) - Date.parse(cron[0]!.time), 60_000);
  const all = [...lateness('/rate'), ...lateness('/cron')];
  console.log(`scheduled fire lateness (ms): ${all.join(', ')}`);
  assert.ok(all.every((ms) => ms >= 0 && ms < 1000), `every fire within 1 s of its due second: ${all.join(', ')} ms`);
});

test('the seeds\' flow: an alarm going to ALARM → "CloudWatch Alarm State Change" on the default bus → a rule → an SNS topic', async () => {
  const sns = new SNSClient(sdkConfig(server.url));
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alarm-events' }));
  // A Lambda-mapped subscriber confirms at once and receives the SNS Lambda event.
  const subscriber = 'arn:aws:lambda:us-east-1:000000000000:function:every-minute';
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: subscriber }));
  await eb.send(new PutRuleCommand({
    Name: 'alarms-to-sns',
    EventPattern: JSON.stringify({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], detail: { state: { value: ['ALARM'] } } }),
  }));
  await eb.send(new PutTargetsCommand({ Rule: 'alarms-to-sns', Targets: [{ Id: 'topic', Arn: TopicArn }] }));
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'cpu-high', Namespace: 'App', MetricName: 'CPU', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 90,
    ComparisonOperator: 'GreaterThanThreshold',
  }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'cpu-high', StateValue: 'ALARM', StateReason: 'testing the flow' }));
  const got = await until('the alarm event through SNS', () => rx.received.find((r) => r.body.includes('CloudWatch Alarm State Change')), 10_000);
  const snsEvent = JSON.parse(got.body) as { Records: { Sns: { TopicArn: string; Message: string } }[] };
  assert.equal(snsEvent.Records[0]!.Sns.TopicArn, TopicArn);
  const event = JSON.parse(snsEvent.Records[0]!.Sns.Message) as { source: string; 'detail-type': string; resources: string[]; detail: { alarmName: string; state: { value: string } } };
  assert.equal(event.source, 'aws.cloudwatch');
  assert.equal(event['detail-type'], 'CloudWatch Alarm State Change');
  assert.deepEqual(event.resources, ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu-high']);
  assert.equal(event.detail.alarmName, 'cpu-high');
  assert.equal(event.detail.state.value, 'ALARM');
});

test('AWS CLI v1 and boto3 1.26 drive buses, rules, targets, PutEvents and TestEventPattern', async () => {
  const cli = async (args: string[]) => {
    const { stdout } = await run('aws', ['events', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() });
    return (stdout.trim() ? JSON.parse(stdout) : {}) as Record<string, unknown>;
  };
  assert.equal((await cli(['create-event-bus', '--name', 'cli-bus'])).EventBusArn, 'arn:aws:events:us-east-1:000000000000:event-bus/cli-bus');
  await cli(['put-rule', '--name', 'cli-rule', '--event-bus-name', 'cli-bus', '--event-pattern', '{"source":["cli"]}']);
  await cli(['put-targets', '--rule', 'cli-rule', '--event-bus-name', 'cli-bus', '--targets', `Id=fn,Arn=${CRON_FN},Input='{"from":"cli"}'`]);
  const put = await cli(['put-events', '--entries', JSON.stringify([{ EventBusName: 'cli-bus', Source: 'cli', DetailType: 'Test', Detail: '{}' }])]);
  assert.equal(put.FailedEntryCount, 0);
  await until('the CLI event', () => rx.received.find((r) => r.body === '{"from":"cli"}'));
  const rules = await cli(['list-rules', '--event-bus-name', 'cli-bus']);
  assert.deepEqual((rules.Rules as { Name: string }[]).map((r) => r.Name), ['cli-rule']);
  const script = [
    'import boto3, json',
    `c = boto3.client('events', endpoint_url=${JSON.stringify(server.url)}, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')`,
    "c.put_rule(Name='py-rule', EventBusName='cli-bus', EventPattern=json.dumps({'source': ['py']}))",
    "t = c.list_targets_by_rule(Rule='cli-rule', EventBusName='cli-bus')['Targets']",
    "r = c.test_event_pattern(EventPattern='{\"source\":[\"py\"]}', Event=json.dumps({'id':'1','account':'000000000000','source':'py','time':'2026-01-01T00:00:00Z','region':'us-east-1','resources':[],'detail-type':'x','detail':{}}))['Result']",
    'try:',
    "  c.describe_rule(Name='missing')",
    'except c.exceptions.ResourceNotFoundException as e:',
    "  err = e.response['Error']['Message']",
    "print(json.dumps({'targets': [x['Id'] for x in t], 'result': r, 'err': err}))",
  ].join('\n');
  const { stdout } = await run('/usr/bin/python3', ['-c', script], { env: awsEnv() });
  assert.deepEqual(JSON.parse(stdout), { targets: ['fn'], result: true, err: 'Rule missing does not exist on EventBus default.' });
});
