import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteResourcePolicyCommand,
  DescribeLogGroupsCommand,
  DescribeResourcePoliciesCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
let server: TestServer;
let logs: CloudWatchLogsClient;
let account: string;

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/rp/account-probe' }));
  const g = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/rp/account-probe' }));
  account = g.logGroups![0]!.arn!.split(':')[4]!;
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

const route53Policy = (resource: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Route53LogsToCloudWatchLogs', Effect: 'Allow', Principal: { Service: ['route53.amazonaws.com'] }, Action: 'logs:PutLogEvents', Resource: resource }],
});

const rejects = (p: Promise<unknown>, name: string, message?: string | RegExp) =>
  assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });

async function deleteAllAccountPolicies(): Promise<void> {
  const all = await logs.send(new DescribeResourcePoliciesCommand({}));
  for (const p of all.resourcePolicies ?? []) await logs.send(new DeleteResourcePolicyCommand({ policyName: p.policyName }));
}

test('PutResourcePolicy echoes the document; DescribeResourcePolicies returns AWS\'s normalized copy', async (t) => {
  t.after(deleteAllAccountPolicies);
  const doc = route53Policy('log_arn');
  const put = await logs.send(new PutResourcePolicyCommand({ policyName: 'route53', policyDocument: doc }));
  assert.equal(put.resourcePolicy?.policyName, 'route53');
  assert.equal(put.resourcePolicy?.policyDocument, doc);
  assert.equal(put.resourcePolicy?.policyScope, 'ACCOUNT');
  assert.equal(typeof put.resourcePolicy?.lastUpdatedTime, 'number');
  assert.ok(Math.abs(put.resourcePolicy!.lastUpdatedTime! - Date.now()) < 60_000);
  assert.equal(put.revisionId, undefined, 'only resource-scoped policies have a revision');

  // No Version, one-element lists, keys out of IAM order — as LocalStack recorded AWS normalizing them.
  await logs.send(new PutResourcePolicyCommand({
    policyName: 'all-logs',
    policyDocument: '{"Statement":[{"Action":"logs:*","Effect":"Allow","Principal":{"Service":["route53.amazonaws.com"]},"Resource":"*"}]}',
  }));
  const described = await logs.send(new DescribeResourcePoliciesCommand({}));
  assert.deepEqual(described.resourcePolicies?.map((p) => p.policyName), ['all-logs', 'route53']);
  const allLogs = described.resourcePolicies![0]!;
  assert.equal(allLogs.policyScope, 'ACCOUNT');
  assert.equal(allLogs.policyDocument,
    '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"route53.amazonaws.com"},"Action":"logs:*","Resource":"*"}]}');
  assert.deepEqual(JSON.parse(described.resourcePolicies![1]!.policyDocument!).Statement[0].Principal, { Service: 'route53.amazonaws.com' });

  // Updating replaces the document and moves lastUpdatedTime.
  const before = described.resourcePolicies![1]!.lastUpdatedTime!;
  await new Promise((r) => setTimeout(r, 5));
  await logs.send(new PutResourcePolicyCommand({ policyName: 'route53', policyDocument: route53Policy('*') }));
  const after = (await logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies!.find((p) => p.policyName === 'route53')!;
  assert.equal(JSON.parse(after.policyDocument!).Statement[0].Resource, '*');
  assert.ok(after.lastUpdatedTime! > before);
});

test('ten account-level policies per region: the eleventh gets LimitExceededException, updates still work', async (t) => {
  t.after(deleteAllAccountPolicies);
  for (let i = 0; i < 10; i++) await logs.send(new PutResourcePolicyCommand({ policyName: `p${i}`, policyDocument: route53Policy('*') }));
  await rejects(logs.send(new PutResourcePolicyCommand({ policyName: 'p10', policyDocument: route53Policy('*') })), 'LimitExceededException', 'Resource limit exceeded.');
  const updated = await logs.send(new PutResourcePolicyCommand({ policyName: 'p3', policyDocument: route53Policy('log_arn') }));
  assert.equal(updated.resourcePolicy?.policyDocument, route53Policy('log_arn'));
  // Another region of the same account has its own ten.
  const west = new CloudWatchLogsClient(sdkConfig(server.url, 'us-west-2'));
  try {
    await west.send(new PutResourcePolicyCommand({ policyName: 'p10', policyDocument: route53Policy('*') }));
    assert.deepEqual((await west.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies?.map((p) => p.policyName), ['p10']);
    await west.send(new DeleteResourcePolicyCommand({ policyName: 'p10' }));
  } finally {
    west.destroy();
  }
  // Pages of limit 4: 4 + 4 + 2.
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeResourcePoliciesCommand({ limit: 4, nextToken }));
    assert.ok(page.resourcePolicies!.length <= 4);
    names.push(...page.resourcePolicies!.map((p) => p.policyName!));
    nextToken = page.nextToken;
  } while (nextToken);
  assert.deepEqual(names, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
});

test('PutResourcePolicy and DeleteResourcePolicy refuse what AWS refuses', async () => {
  await rejects(logs.send(new PutResourcePolicyCommand({ policyName: 'bad', policyDocument: '{"Statement": [' })), 'InvalidParameterException', /not valid JSON/);
  await rejects(logs.send(new PutResourcePolicyCommand({ policyName: 'bad', policyDocument: '{"Version":"2012-10-17"}' })), 'InvalidParameterException', /Statement/);
  const long = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'logs:PutLogEvents', Resource: `arn:aws:logs:us-east-1:${account}:log-group:${'x'.repeat(5100)}` }] });
  await rejects(logs.send(new PutResourcePolicyCommand({ policyName: 'long', policyDocument: long })), 'InvalidParameterException', /5120 characters/);
  await rejects(logs.send(new DeleteResourcePolicyCommand({ policyName: 'non-existent' })), 'ResourceNotFoundException', 'Policy with name [non-existent] does not exist.');
  assert.deepEqual((await logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies, []);
});

test('a log group policy (resourceArn): revisions guard updates, one per group, gone with the group', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/rp/events' }));
  const groupArn = `arn:aws:logs:us-east-1:${account}:log-group:/rp/events`;
  const doc = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${groupArn}:*` }] });

  const first = await logs.send(new PutResourcePolicyCommand({ resourceArn: groupArn, policyDocument: doc }));
  assert.equal(first.resourcePolicy?.policyScope, 'RESOURCE');
  assert.equal(first.resourcePolicy?.resourceArn, groupArn);
  assert.ok(first.revisionId);
  assert.equal(first.resourcePolicy?.revisionId, first.revisionId);

  // An update must name the revision it read.
  await rejects(logs.send(new PutResourcePolicyCommand({ resourceArn: groupArn, policyDocument: doc })), 'OperationAbortedException', /revision/);
  const second = await logs.send(new PutResourcePolicyCommand({ resourceArn: groupArn, policyDocument: doc, expectedRevisionId: first.revisionId }));
  assert.notEqual(second.revisionId, first.revisionId);

  // Listed by resourceArn or by scope, never among the account-level ones (nor counted against their ten).
  const byArn = await logs.send(new DescribeResourcePoliciesCommand({ resourceArn: groupArn }));
  assert.equal(byArn.resourcePolicies?.length, 1);
  assert.equal(byArn.resourcePolicies![0]!.revisionId, second.revisionId);
  assert.equal((await logs.send(new DescribeResourcePoliciesCommand({ policyScope: 'RESOURCE' }))).resourcePolicies?.length, 1);
  assert.deepEqual((await logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies, []);

  await rejects(logs.send(new PutResourcePolicyCommand({ resourceArn: `arn:aws:logs:us-east-1:${account}:log-group:/rp/missing`, policyDocument: doc })),
    'ResourceNotFoundException', 'The specified log group does not exist.');
  await rejects(logs.send(new PutResourcePolicyCommand({ resourceArn: groupArn, policyName: 'both', policyDocument: doc })), 'InvalidParameterException', /mutually exclusive/);
  await rejects(logs.send(new DeleteResourcePolicyCommand({ resourceArn: groupArn })), 'InvalidParameterException', /expectedRevisionId/);
  await rejects(logs.send(new DeleteResourcePolicyCommand({ resourceArn: groupArn, expectedRevisionId: first.revisionId })), 'OperationAbortedException');

  // Deleting the log group deletes its policy.
  await logs.send(new DeleteLogGroupCommand({ logGroupName: '/rp/events' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/rp/events' }));
  assert.deepEqual((await logs.send(new DescribeResourcePoliciesCommand({ resourceArn: groupArn }))).resourcePolicies, []);
  const again = await logs.send(new PutResourcePolicyCommand({ resourceArn: groupArn, policyDocument: doc }));
  await logs.send(new DeleteResourcePolicyCommand({ resourceArn: groupArn, expectedRevisionId: again.revisionId }));
  assert.deepEqual((await logs.send(new DescribeResourcePoliciesCommand({ resourceArn: groupArn }))).resourcePolicies, []);
});

test('aws CLI v1: put-resource-policy, describe-resource-policies, delete-resource-policy', async () => {
  const cli = async (args: string[]) => {
    const { stdout } = await run('aws', ['logs', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() });
    return stdout.trim() ? JSON.parse(stdout) : {};
  };
  const doc = route53Policy(`arn:aws:logs:us-east-1:${account}:log-group:/aws/route53/*`);
  const put = await cli(['put-resource-policy', '--policy-name', 'cli-route53', '--policy-document', doc]);
  assert.equal(put.resourcePolicy.policyName, 'cli-route53');
  assert.equal(put.resourcePolicy.policyDocument, doc);
  const listed = await cli(['describe-resource-policies']);
  assert.deepEqual(listed.resourcePolicies.map((p: { policyName: string }) => p.policyName), ['cli-route53']);
  assert.equal(listed.resourcePolicies[0].policyScope, 'ACCOUNT');
  await cli(['delete-resource-policy', '--policy-name', 'cli-route53']);
  assert.deepEqual((await cli(['describe-resource-policies'])).resourcePolicies, []);
  await assert.rejects(cli(['delete-resource-policy', '--policy-name', 'cli-route53']), (e: Error & { stderr?: string }) => {
    assert.match(e.stderr ?? '', /ResourceNotFoundException.*Policy with name \[cli-route53\] does not exist\./);
    return true;
  });
});

test('resource policies survive a restart (SQLite)', async () => {
  await logs.send(new PutResourcePolicyCommand({ policyName: 'durable', policyDocument: route53Policy('*') }));
  const dataDir = server.dataDir;
  logs.destroy();
  await server.stop();
  server = await startTestServer({ dataDir });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const listed = await logs.send(new DescribeResourcePoliciesCommand({}));
  assert.deepEqual(listed.resourcePolicies?.map((p) => p.policyName), ['durable']);
  await logs.send(new DeleteResourcePolicyCommand({ policyName: 'durable' }));
});
