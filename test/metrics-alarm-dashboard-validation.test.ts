// Inputs CloudWatch refuses although the model lets them through: an EvaluateLowSampleCountPercentile
// other than evaluate / ignore, and a DeleteDashboards call that names no dashboard. SDK v3 (JSON
// 1.0) and boto3 1.26 (Query) see the same error codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchClient, PutMetricAlarmCommand, DescribeAlarmsCommand, DeleteDashboardsCommand, PutDashboardCommand, ListDashboardsCommand,
} from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
let server: TestServer;
let cw: CloudWatchClient;

before(async () => {
  server = await startTestServer();
  cw = new CloudWatchClient(sdkConfig(server.url));
});
after(async () => {
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
});

const alarm = (name: string, option?: string) => new PutMetricAlarmCommand({
  AlarmName: name, Namespace: 'App', MetricName: 'Latency', ExtendedStatistic: 'p99', Period: 60,
  EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluateLowSampleCountPercentile: option,
});

/** boto3 1.26 (awsQuery): the call's error code and message, or "ok". */
async function boto3(call: string): Promise<string> {
  const script = `
import boto3, botocore.exceptions
c = boto3.client('cloudwatch', endpoint_url=${JSON.stringify(server.url)}, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
try:
    c.${call}
    print('ok')
except botocore.exceptions.ClientError as e:
    print(e.response['Error']['Code'] + ': ' + e.response['Error']['Message'])
`;
  const { stdout } = await run('/usr/bin/python3', ['-c', script], { env: awsEnv() });
  return stdout.trim();
}

test('PutMetricAlarm: EvaluateLowSampleCountPercentile accepts evaluate and ignore only', async () => {
  const e = await cw.send(alarm('bad', 'unknown')).then(() => assert.fail('accepted'), (x) => x);
  // SDK v3 names unmodeled errors <code>Exception; Code keeps the Query code.
  assert.equal(e.Code, 'ValidationError');
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.equal(e.message, 'Option unknown is not supported. Supported options for parameter EvaluateLowSampleCountPercentile are evaluate and ignore.');
  // Case matters, as in the documented values.
  await assert.rejects(cw.send(alarm('bad', 'Ignore')), (x: { Code?: string }) => x.Code === 'ValidationError');
  assert.equal(await boto3(`put_metric_alarm(AlarmName='bad', Namespace='App', MetricName='Latency', ExtendedStatistic='p99', Period=60,
    EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanThreshold', EvaluateLowSampleCountPercentile='unknown')`),
  'ValidationError: Option unknown is not supported. Supported options for parameter EvaluateLowSampleCountPercentile are evaluate and ignore.');
  for (const ok of ['evaluate', 'ignore', undefined]) await cw.send(alarm(`ok-${ok}`, ok));
  const names = (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'ok-' }))).MetricAlarms!.map((a) => [a.AlarmName, a.EvaluateLowSampleCountPercentile ?? '']);
  assert.deepEqual(names.sort(), [['ok-evaluate', 'evaluate'], ['ok-ignore', 'ignore'], ['ok-undefined', '']]);
});

test('PutMetricAlarm: TreatMissingData accepts the four documented values only', async () => {
  const put = (name: string, treat: string) => cw.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: 'App', MetricName: 'Latency', Statistic: 'Average', Period: 60,
    EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: treat,
  }));
  const e = await put('treat-bad', 'zero').then(() => assert.fail('accepted'), (x) => x);
  assert.equal(e.Code, 'ValidationError');
  assert.equal(e.message, 'Option zero is not supported. Supported options for parameter TreatMissingData are breaching, notBreaching, ignore and missing.');
  for (const ok of ['breaching', 'notBreaching', 'ignore', 'missing']) await put(`treat-${ok}`, ok);
  const got = (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'treat-' }))).MetricAlarms!.map((a) => a.TreatMissingData).sort();
  assert.deepEqual(got, ['breaching', 'ignore', 'missing', 'notBreaching']);
});

test('DeleteDashboards with no names is refused and deletes nothing', async () => {
  await cw.send(new PutDashboardCommand({ DashboardName: 'keep', DashboardBody: '{"widgets":[]}' }));
  const e = await cw.send(new DeleteDashboardsCommand({ DashboardNames: [] })).then(() => assert.fail('accepted'), (x) => x);
  assert.ok(e.name === 'InvalidParameterValueException' || e.Code === 'InvalidParameterValue', `${e.name}/${e.Code}`);
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.equal(await boto3('delete_dashboards(DashboardNames=[])'), 'InvalidParameterValue: Need at least 1 dashboard.');
  assert.deepEqual((await cw.send(new ListDashboardsCommand({}))).DashboardEntries!.map((d) => d.DashboardName), ['keep']);
});
