import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudWatchClient, PutMetricDataCommand, ListAlarmMuteRulesCommand } from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { XRayClient, GetInsightSummariesCommand } from '@aws-sdk/client-xray';
import { SNSClient, GetDataProtectionPolicyCommand } from '@aws-sdk/client-sns';
import { CloudTrailClient, ListChannelsCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient, PutEventsCommand, ListEndpointsCommand } from '@aws-sdk/client-eventbridge';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

/**
 * Services whose handlers are not built yet must say so cleanly (501 NotImplemented, naming the
 * operation) — through each protocol, parsed by a real client — never fake a success.
 */
function assertNotImplemented(e: { name: string; message: string; $metadata?: { httpStatusCode?: number } }, op: string) {
  assert.equal(e.name, 'NotImplemented', `${op}: ${e.name} ${e.message}`);
  assert.equal(e.$metadata?.httpStatusCode, 501);
  assert.match(e.message, new RegExp(`does not implement .*${op}`));
}

test('CloudWatch over awsJson1_0 (SDK v3) reaches the operation layer', async () => {
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const err = await cw.send(new ListAlarmMuteRulesCommand({})).catch((e) => e);
  assertNotImplemented(err, 'ListAlarmMuteRules');
  assert.equal(err.Code, 'NotImplemented', 'x-amzn-query-error gives SDK v3 the Query code');
  cw.destroy();
});

test('CloudWatch over rpc-v2-cbor (SDK v3 forced) reaches the operation layer', async () => {
  const cw = new CloudWatchClient({ ...sdkConfig(server.url), protocol: AwsSmithyRpcV2CborProtocol });
  const err = await cw.send(new ListAlarmMuteRulesCommand({})).catch((e) => e);
  assertNotImplemented(err, 'ListAlarmMuteRules');
  cw.destroy();
});

test('CloudWatch validation errors over JSON 1.0 carry the Query code (SDK v3)', async () => {
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const err = await cw.send(new PutMetricDataCommand({ Namespace: 'x'.repeat(300), MetricData: [{ MetricName: 'm', Value: 1 }] })).catch((e) => e);
  assert.equal(err.$metadata?.httpStatusCode, 400);
  assert.equal(err.Code, 'ValidationError', 'the Query code travels in x-amzn-query-error');
  assert.equal(err.Type, 'Sender');
  assert.match(err.message, /Value '.*' at 'namespace' failed to satisfy constraint: Member must have length less than or equal to 255/);
  cw.destroy();
});

test('awsQuery (/usr/bin/aws v2.9.19) reaches the operation layer', async () => {
  const err = await run('/usr/bin/aws', ['sns', 'get-data-protection-policy', '--resource-arn', 'arn:aws:sns:us-east-1:000000000000:t1', '--endpoint-url', server.url], { env: awsEnv() }).catch((e) => e);
  assert.equal(err.code, 254);
  assert.match(err.stderr, /An error occurred \(NotImplemented\) when calling the GetDataProtectionPolicy operation: Osprey does not implement SNS GetDataProtectionPolicy/);
});

test('CloudWatch over awsQuery: unknown action answers InvalidAction (boto3 1.26)', async () => {
  const script = `
import boto3, botocore.exceptions as E
c = boto3.client('cloudwatch', endpoint_url='${server.url}', region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
try:
    c.put_metric_data(Namespace='App', MetricData=[{'MetricName': 'x'*300, 'Value': 1}])
except E.ClientError as e:
    print(e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message'])
`;
  const { stdout } = await run('/usr/bin/python3', ['-c', script], { env: awsEnv() });
  assert.match(stdout, /^ValidationError 400 1 validation error detected: Value 'x{300}' at 'metricData\.1\.member\.metricName' failed to satisfy constraint: Member must have length less than or equal to 255/);
});

test('X-Ray over restJson1 (SDK v3) reaches the operation layer', async () => {
  const xray = new XRayClient(sdkConfig(server.url));
  const err = await xray.send(new GetInsightSummariesCommand({ StartTime: new Date(0), EndTime: new Date(1000) })).catch((e) => e);
  assertNotImplemented(err, 'GetInsightSummaries');
  xray.destroy();
});

test('SNS over awsQuery (SDK v3) reaches the operation layer', async () => {
  const sns = new SNSClient(sdkConfig(server.url));
  const err = await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: 'arn:aws:sns:us-east-1:000000000000:t1' })).catch((e) => e);
  assertNotImplemented(err, 'GetDataProtectionPolicy');
  sns.destroy();
});

test('CloudTrail with the short target (SDK v3) answers; an unbuilt operation says so', async () => {
  const ct = new CloudTrailClient(sdkConfig(server.url));
  const out = await ct.send(new LookupEventsCommand({ MaxResults: 5 }));
  assert.ok(Array.isArray(out.Events));
  const err = await ct.send(new ListChannelsCommand({})).catch((e) => e);
  assertNotImplemented(err, 'ListChannels');
  ct.destroy();
});

test('CloudTrail with the long target (CLI v1, botocore 1.43) answers', async () => {
  const { stdout } = await run('aws', ['cloudtrail', 'lookup-events', '--max-results', '5', '--endpoint-url', server.url], { env: awsEnv() });
  assert.ok(Array.isArray((JSON.parse(stdout) as { Events: unknown[] }).Events));
});

test('EventBridge over awsJson1_1 (SDK v3): PutEvents answers; an unbuilt operation says so', async () => {
  const ev = new EventBridgeClient(sdkConfig(server.url));
  const out = await ev.send(new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: '{}' }] }));
  assert.equal(out.FailedEntryCount, 0);
  // Global endpoints are not built: a clean 501 naming the operation.
  const err = await ev.send(new ListEndpointsCommand({})).catch((e) => e);
  assertNotImplemented(err, 'ListEndpoints');
  ev.destroy();
});

test('health endpoint answers', async () => {
  const res = await fetch(`${server.url}/_osprey/health`);
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { status: string }).status, 'ok');
});
