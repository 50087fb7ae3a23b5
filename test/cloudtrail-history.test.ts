/**
 * CloudTrail event history: every call to every service is recorded in AWS's schema and found by
 * LookupEvents from the SDK, the AWS CLI v1 and the Debian CLI v2 — the "who deleted my log group?"
 * example end to end — failures (even a wrong secret) included, other accounts' calls never.
 * Recorded management calls also reach EventBridge rules as "AWS API Call via CloudTrail".
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, FilterLogEventsCommand, PutResourcePolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { failure } from './helpers/failure.ts';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const run = promisify(execFile);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed CloudTrail record, read field by field
type Rec = Record<string, any>;
const ALICE = { accessKeyId: 'AKIAALICE0000000001', secretAccessKey: 'alice-secret' };
const ALICE_ARN = 'arn:aws:iam::000000000000:user/alice';
let server: TestServer;
let ct: CloudTrailClient;

before(async () => {
  server = await startTestServer({
    modules: ['logs', 'cloudwatch', 'events', 'cloudtrail'],
    env: {
      OSPREY_DELIVERY_POLL_MS: '100',
      OSPREY_ACCESS_KEYS: JSON.stringify([
        { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' },
        { ...ALICE, accountId: '000000000000', principalArn: ALICE_ARN },
        { accessKeyId: 'OTHER', secretAccessKey: 'other', accountId: '111111111111' },
      ]),
    },
  });
  ct = new CloudTrailClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const lookup = async (key: string, value: string, client = ct): Promise<Event[]> =>
  (await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key as 'EventName', AttributeValue: value }] }))).Events ?? [];

test('boto3 deletes a log group; within 1 s both AWS CLIs find it with key, principal, IP, user agent and logGroupName', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'who-deleted-me' }));
  const py = `import boto3\nboto3.client('logs', endpoint_url='${server.url}').delete_log_group(logGroupName='who-deleted-me')`;
  await run('/usr/bin/python3', ['-c', py], { env: awsEnv({ AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey }) });
  const deletedAt = Date.now();
  const found = await lookup('EventName', 'DeleteLogGroup');
  assert.ok(Date.now() - deletedAt < 1000 && found.some((e) => e.Resources?.[0]?.ResourceName === 'who-deleted-me'), 'recorded and found within 1 s');
  for (const cli of ['aws', '/usr/bin/aws']) {
    const { stdout } = await run(cli, ['cloudtrail', 'lookup-events', '--endpoint-url', server.url, '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=DeleteLogGroup', '--output', 'json'], { env: awsEnv() });
    const events = (JSON.parse(stdout) as { Events: Array<{ CloudTrailEvent: string; Username: string; AccessKeyId: string; Resources: unknown[] }> }).Events;
    const mine = events.map((e) => ({ e, r: JSON.parse(e.CloudTrailEvent) as Rec })).find((x) => x.r.requestParameters?.logGroupName === 'who-deleted-me');
    assert.ok(mine, `${cli}: ${stdout}`);
    assert.equal(mine.e.Username, 'alice');
    assert.equal(mine.e.AccessKeyId, ALICE.accessKeyId);
    assert.deepEqual(mine.e.Resources, [{ ResourceType: 'AWS::Logs::LogGroup', ResourceName: 'who-deleted-me' }]);
    const r = mine.r;
    assert.deepEqual(r.userIdentity, { type: 'IAMUser', principalId: r.userIdentity.principalId, arn: ALICE_ARN, accountId: '000000000000', accessKeyId: ALICE.accessKeyId, userName: 'alice' });
    assert.match(r.userIdentity.principalId, /^AIDA[A-Z2-7]{17}$/);
    assert.equal(r.sourceIPAddress, '127.0.0.1');
    assert.match(r.userAgent, /Boto3\/1\.26/);
    assert.equal(r.eventSource, 'logs.amazonaws.com');
    assert.equal(r.eventVersion, '1.09');
    assert.equal(r.eventType, 'AwsApiCall');
    assert.equal(r.readOnly, false);
    assert.equal(r.managementEvent, true);
    assert.equal(r.eventCategory, 'Management');
    assert.equal(r.recipientAccountId, '000000000000');
    assert.match(r.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
});

test('a call with a wrong secret is recorded with its error code; an AWS error with its code and message', async () => {
  const bad = new CloudWatchLogsClient({ ...sdkConfig(server.url), credentials: { accessKeyId: ALICE.accessKeyId, secretAccessKey: 'wrong' } });
  const f = await failure(bad.send(new DescribeLogGroupsCommand({})));
  assert.equal(f.name, 'InvalidSignatureException');
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })));
  const denied = (await lookup('Username', 'alice')).map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.eventName === 'DescribeLogGroups');
  assert.equal(denied?.errorCode, 'InvalidSignatureException');
  assert.equal(denied?.readOnly, true);
  const invalid = (await lookup('EventName', 'CreateLogGroup')).map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.requestParameters?.logGroupName === 'bad name!');
  assert.ok(invalid?.errorCode && invalid.errorMessage, JSON.stringify(invalid));
  assert.equal(invalid.responseElements, null);
});

test('lookup attributes, paging and the AWS errors; another account sees none of it', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  for (let i = 0; i < 5; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `page-${i}` }));
  const first = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateLogGroup' }], MaxResults: 2 }));
  assert.equal(first.Events?.length, 2);
  const second = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateLogGroup' }], MaxResults: 2, NextToken: first.NextToken }));
  assert.equal(second.Events?.length, 2);
  const ids = new Set([...first.Events!, ...second.Events!].map((e) => e.EventId));
  assert.equal(ids.size, 4, 'pages do not overlap');
  assert.ok(first.Events![0]!.EventTime! >= second.Events![0]!.EventTime!, 'newest first');
  assert.deepEqual((await lookup('ResourceName', 'page-3')).map((e) => e.EventName), ['CreateLogGroup']);
  assert.ok((await lookup('ReadOnly', 'true')).every((e) => e.ReadOnly === 'true'));
  assert.ok((await lookup('EventSource', 'logs.amazonaws.com')).length >= 5);
  const one = first.Events![0]!;
  assert.deepEqual((await lookup('EventId', one.EventId!)).map((e) => e.EventId), [one.EventId]);

  assert.equal((await failure(ct.send(new LookupEventsCommand({ LookupAttributes: [
    { AttributeKey: 'EventName', AttributeValue: 'a' }, { AttributeKey: 'Username', AttributeValue: 'b' }] })))).name, 'InvalidLookupAttributesException');
  assert.equal((await failure(ct.send(new LookupEventsCommand({ MaxResults: 51 })))).status, 400);
  assert.equal((await failure(ct.send(new LookupEventsCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 60_000) })))).name, 'InvalidTimeRangeException');
  assert.equal((await failure(ct.send(new LookupEventsCommand({ NextToken: 'garbage' })))).name, 'InvalidNextTokenException');

  const other = new CloudTrailClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'OTHER', secretAccessKey: 'other' } });
  assert.deepEqual(await lookup('EventName', 'CreateLogGroup', other), []);
  assert.deepEqual(await lookup('EventId', one.EventId!, other), []);
  const otherRegion = new CloudTrailClient(sdkConfig(server.url, 'eu-west-1'));
  assert.deepEqual(await lookup('EventName', 'CreateLogGroup', otherRegion), []);
});

test('a rule on {"source":["aws.logs"],"detail":{"eventName":["DeleteLogGroup"]}} fires; read-only calls reach only ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const eb = new EventBridgeClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/api-calls' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/reads' }));
  await logs.send(new PutResourcePolicyCommand({
    policyName: 'events-to-logs',
    policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/*' }] }),
  }));
  const target = (g: string) => ({ Id: 't', Arn: `arn:aws:logs:us-east-1:000000000000:log-group:${g}` });
  await eb.send(new PutRuleCommand({ Name: 'deletes', EventPattern: JSON.stringify({ source: ['aws.logs'], detail: { eventName: ['DeleteLogGroup'] } }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'deletes', Targets: [target('/aws/events/api-calls')] }));
  const reads = JSON.stringify({ source: ['aws.logs'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['DescribeLogGroups'] } });
  await eb.send(new PutRuleCommand({ Name: 'reads-all', EventPattern: reads, State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }));
  await eb.send(new PutTargetsCommand({ Rule: 'reads-all', Targets: [target('/aws/events/reads')] }));
  await eb.send(new PutRuleCommand({ Name: 'reads-enabled', EventPattern: reads, State: 'ENABLED' }));
  await eb.send(new PutTargetsCommand({ Rule: 'reads-enabled', Targets: [target('/aws/events/api-calls')] }));

  await logs.send(new CreateLogGroupCommand({ logGroupName: 'doomed' }));
  await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'doomed' }));
  await logs.send(new DeleteLogGroupCommand({ logGroupName: 'doomed' }));
  const messages = async (g: string) => ((await logs.send(new FilterLogEventsCommand({ logGroupName: g }))).events ?? []).map((e) => JSON.parse(e.message!));
  const got = await until('the DeleteLogGroup event at the rule target', async () => {
    const m = await messages('/aws/events/api-calls');
    return m.length > 0 ? m : undefined;
  }, 10_000);
  assert.equal(got.length, 1, 'only the DeleteLogGroup call, not the read-only one through the ENABLED rule');
  assert.equal(got[0]['detail-type'], 'AWS API Call via CloudTrail');
  assert.equal(got[0].source, 'aws.logs');
  assert.equal(got[0].detail.eventName, 'DeleteLogGroup');
  assert.equal(got[0].detail.requestParameters.logGroupName, 'doomed');
  const readEvents = await until('the read-only event at the ENABLED_WITH_ALL rule target', async () => {
    const m = await messages('/aws/events/reads');
    return m.length > 0 ? m : undefined;
  }, 10_000);
  assert.equal(readEvents[0].detail.readOnly, true);
});
