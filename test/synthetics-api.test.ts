// The Synthetics API with real clients, no runs: canaries, groups and tags through SDK v3 (and the
// AWS CLI), AWS's errors for bad input (zip without the handler, bad schedule, unknown runtime,
// unmapped artifact bucket, timeout longer than the frequency), lifecycle conflicts and isolation
// between accounts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  SyntheticsClient, CreateCanaryCommand, GetCanaryCommand, DescribeCanariesCommand, UpdateCanaryCommand, DeleteCanaryCommand,
  DescribeRuntimeVersionsCommand, CreateGroupCommand, AssociateResourceCommand, ListGroupResourcesCommand, ListAssociatedGroupsCommand,
  GetGroupCommand, ListGroupsCommand, DisassociateResourceCommand, DeleteGroupCommand, TagResourceCommand, ListTagsForResourceCommand,
  UntagResourceCommand, StartCanaryCommand, StopCanaryCommand, type CreateCanaryCommandInput,
} from '@aws-sdk/client-synthetics';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';
import { puppeteerZip, zipOf } from './helpers/canary-zip.ts';
import { until } from './helpers/until.ts';

const run = promisify(execFile);
let server: TestServer;
let syn: SyntheticsClient;
const bucketDir = mkdtempSync(join(tmpdir(), 'osprey-canary-bucket-'));
const SCRIPT = "exports.handler = async () => 'ok';";

before(async () => {
  server = await startTestServer({
    modules: ['synthetics'],
    env: {
      OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'canary-artifacts': `file://${bucketDir}` }),
      OSPREY_ACCESS_KEYS: JSON.stringify([
        { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' },
        { accessKeyId: 'OTHER', secretAccessKey: 'other', accountId: '111111111111' },
      ]),
    },
  });
  syn = new SyntheticsClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const input = (name: string, over: Partial<CreateCanaryCommandInput> = {}): CreateCanaryCommandInput => ({
  Name: name,
  Code: { ZipFile: puppeteerZip('check', SCRIPT), Handler: 'check.handler' },
  ArtifactS3Location: 's3://canary-artifacts/runs',
  ExecutionRoleArn: 'arn:aws:iam::000000000000:role/canary',
  Schedule: { Expression: 'rate(5 minutes)' },
  RuntimeVersion: 'syn-nodejs-puppeteer-9.1',
  ...over,
});

/** Waits until the canary is in `state`. */
const stateOf = (name: string, state: string) =>
  until(`${name} ${state}`, async () => ((await syn.send(new GetCanaryCommand({ Name: name }))).Canary?.Status?.State === state ? true : undefined), 10_000);

async function refused(p: Promise<unknown>, name: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, e.message);
    assert.match(e.message, message);
    return true;
  });
}

test('CreateCanary stores the canary; it becomes READY; Get/Describe/Update answer as AWS', async () => {
  const created = await syn.send(new CreateCanaryCommand(input('api-one', { Tags: { team: 'web' }, RunConfig: { TimeoutInSeconds: 60, EnvironmentVariables: { TARGET: 'x' } } })));
  assert.equal(created.Canary?.Status?.State, 'CREATING');
  assert.match(created.Canary!.Id!, /^[0-9a-f-]{36}$/);
  await stateOf('api-one', 'READY');
  const got = (await syn.send(new GetCanaryCommand({ Name: 'api-one' }))).Canary!;
  assert.equal(got.RunConfig?.TimeoutInSeconds, 60);
  assert.equal(got.Schedule?.Expression, 'rate(5 minutes)');
  assert.equal(got.SuccessRetentionPeriodInDays, 31);
  assert.equal(got.Code?.Handler, 'check.handler');
  assert.match(got.EngineArn!, /^arn:aws:lambda:us-east-1:000000000000:function:cwsyn-api-one-/);
  assert.deepEqual(got.Tags, { team: 'web' });
  await syn.send(new UpdateCanaryCommand({ Name: 'api-one', Schedule: { Expression: 'rate(10 minutes)' }, SuccessRetentionPeriodInDays: 7 }));
  const updated = (await syn.send(new GetCanaryCommand({ Name: 'api-one' }))).Canary!;
  assert.equal(updated.Schedule?.Expression, 'rate(10 minutes)');
  assert.equal(updated.SuccessRetentionPeriodInDays, 7);
  assert.equal(updated.RunConfig?.TimeoutInSeconds, 60, 'the explicit timeout is kept');
  const described = await syn.send(new DescribeCanariesCommand({ Names: ['api-one'] }));
  assert.deepEqual(described.Canaries?.map((c) => c.Name), ['api-one']);
  const versions = await syn.send(new DescribeRuntimeVersionsCommand({}));
  assert.ok(versions.RuntimeVersions?.some((v) => v.VersionName === 'syn-nodejs-puppeteer-9.1'));
  assert.ok(versions.RuntimeVersions?.some((v) => v.VersionName?.startsWith('syn-nodejs-playwright-')));
});

test('code can come from a mapped bucket (S3Bucket/S3Key)', async () => {
  mkdirSync(join(bucketDir, 'code'), { recursive: true });
  writeFileSync(join(bucketDir, 'code', 'check.zip'), puppeteerZip('check', SCRIPT));
  const created = await syn.send(new CreateCanaryCommand(input('from-s3', { Code: { S3Bucket: 'canary-artifacts', S3Key: 'code/check.zip', Handler: 'check.handler' } })));
  assert.equal(created.Canary?.Code?.SourceLocationArn, 'arn:aws:s3:::canary-artifacts/code/check.zip');
  await stateOf('from-s3', 'READY');
  await refused(syn.send(new CreateCanaryCommand(input('s3-missing', { Code: { S3Bucket: 'canary-artifacts', S3Key: 'code/none.zip', Handler: 'check.handler' } }))), 'ValidationException', /does not exist/);
  await refused(syn.send(new CreateCanaryCommand(input('s3-unmapped', { Code: { S3Bucket: 'someone-elses', S3Key: 'x.zip', Handler: 'check.handler' } }))), 'ValidationException', /not mapped/);
  await syn.send(new DeleteCanaryCommand({ Name: 'from-s3' }));
});

test('bad input gets ValidationException with a helpful message', async () => {
  await refused(syn.send(new CreateCanaryCommand(input('no-handler', { Code: { ZipFile: zipOf({ 'nodejs/node_modules/other.js': SCRIPT }), Handler: 'check.handler' } }))),
    'ValidationException', /handler file for check\.handler is not in the code zip: expected nodejs\/node_modules\/check\.js/);
  await refused(syn.send(new CreateCanaryCommand(input('bad-zip', { Code: { ZipFile: new TextEncoder().encode('not a zip'), Handler: 'check.handler' } }))),
    'ValidationException', /not a valid zip/);
  await refused(syn.send(new CreateCanaryCommand(input('bad-schedule', { Schedule: { Expression: 'rate(2 hours)' } }))), 'ValidationException', /Invalid schedule expression: rate\(2 hours\)/);
  await refused(syn.send(new CreateCanaryCommand(input('bad-cron', { Schedule: { Expression: 'cron(61 * * * ? *)' } }))), 'ValidationException', /Invalid schedule expression/);
  await refused(syn.send(new CreateCanaryCommand(input('bad-runtime', { RuntimeVersion: 'syn-nodejs-fortran-1.0' }))), 'ValidationException', /Invalid runtime version: syn-nodejs-fortran-1\.0/);
  await refused(syn.send(new CreateCanaryCommand(input('python', { RuntimeVersion: 'syn-python-selenium-6.0' }))), 'ValidationException', /not supported\. Osprey runs syn-nodejs-puppeteer/);
  await refused(syn.send(new CreateCanaryCommand(input('unmapped', { ArtifactS3Location: 's3://nobody-mapped-this/x' }))), 'ValidationException', /not mapped .*export\.buckets/);
  await refused(syn.send(new CreateCanaryCommand(input('long-timeout', { Schedule: { Expression: 'rate(1 minute)' }, RunConfig: { TimeoutInSeconds: 120 } }))),
    'ValidationException', /cannot be longer than the canary's frequency \(60 seconds\)/);
  await refused(syn.send(new CreateCanaryCommand(input('BadName'))), 'ValidationException', /name/i);
  await refused(syn.send(new CreateCanaryCommand(input('api-one'))), 'ValidationException', /already exists/);
  await refused(syn.send(new GetCanaryCommand({ Name: 'missing' })), 'ResourceNotFoundException', /missing does not exist/);
  await refused(syn.send(new StopCanaryCommand({ Name: 'api-one' })), 'ConflictException', /only a running canary can be stopped/);
});

test('a running canary cannot be deleted until stopped', async () => {
  await syn.send(new CreateCanaryCommand(input('lifecycle', { Schedule: { Expression: 'cron(0 0 1 1 ? 2099)' } })));
  await stateOf('lifecycle', 'READY');
  await syn.send(new StartCanaryCommand({ Name: 'lifecycle' }));
  await stateOf('lifecycle', 'RUNNING');
  await refused(syn.send(new DeleteCanaryCommand({ Name: 'lifecycle' })), 'ConflictException', /Stop it/);
  await refused(syn.send(new StartCanaryCommand({ Name: 'lifecycle' })), 'ConflictException', /RUNNING/);
  await syn.send(new StopCanaryCommand({ Name: 'lifecycle' }));
  await stateOf('lifecycle', 'STOPPED');
  const stopped = (await syn.send(new GetCanaryCommand({ Name: 'lifecycle' }))).Canary!;
  assert.ok(stopped.Timeline?.LastStarted && stopped.Timeline?.LastStopped);
  await syn.send(new DeleteCanaryCommand({ Name: 'lifecycle' }));
  await refused(syn.send(new GetCanaryCommand({ Name: 'lifecycle' })), 'ResourceNotFoundException', /does not exist/);
});

test('groups and tags', async () => {
  const arn = (await syn.send(new GetCanaryCommand({ Name: 'api-one' }))).Canary!;
  const canaryArn = `arn:aws:synthetics:us-east-1:000000000000:canary:${arn.Name}`;
  const g = (await syn.send(new CreateGroupCommand({ Name: 'Checkout', Tags: { env: 'prod' } }))).Group!;
  await refused(syn.send(new CreateGroupCommand({ Name: 'checkout' })), 'ConflictException', /already exists/);
  await syn.send(new AssociateResourceCommand({ GroupIdentifier: 'checkout', ResourceArn: canaryArn }));
  assert.deepEqual((await syn.send(new ListGroupResourcesCommand({ GroupIdentifier: g.Id }))).Resources, [canaryArn]);
  assert.deepEqual((await syn.send(new ListAssociatedGroupsCommand({ ResourceArn: canaryArn }))).Groups?.map((x) => x.Name), ['Checkout']);
  assert.equal((await syn.send(new GetGroupCommand({ GroupIdentifier: g.Id }))).Group?.Arn, g.Arn);
  assert.equal((await syn.send(new ListGroupsCommand({}))).Groups?.length, 1);
  await syn.send(new TagResourceCommand({ ResourceArn: canaryArn, Tags: { owner: 'me' } }));
  assert.deepEqual((await syn.send(new ListTagsForResourceCommand({ ResourceArn: canaryArn }))).Tags, { team: 'web', owner: 'me' });
  await syn.send(new UntagResourceCommand({ ResourceArn: canaryArn, TagKeys: ['team'] }));
  assert.deepEqual((await syn.send(new ListTagsForResourceCommand({ ResourceArn: g.Arn }))).Tags, { env: 'prod' });
  assert.deepEqual((await syn.send(new ListTagsForResourceCommand({ ResourceArn: canaryArn }))).Tags, { owner: 'me' });
  await syn.send(new DisassociateResourceCommand({ GroupIdentifier: g.Id, ResourceArn: canaryArn }));
  await syn.send(new DeleteGroupCommand({ GroupIdentifier: g.Id }));
  await refused(syn.send(new GetGroupCommand({ GroupIdentifier: g.Id! })), 'ResourceNotFoundException', /does not exist/);
});

test('another account and another Region see none of it, even by ARN', async () => {
  const arn = 'arn:aws:synthetics:us-east-1:000000000000:canary:api-one';
  for (const client of [
    new SyntheticsClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'OTHER', secretAccessKey: 'other' } }),
    new SyntheticsClient(sdkConfig(server.url, 'us-west-2')),
  ]) {
    assert.deepEqual((await client.send(new DescribeCanariesCommand({}))).Canaries, []);
    await refused(client.send(new GetCanaryCommand({ Name: 'api-one' })), 'ResourceNotFoundException', /does not exist/);
    await refused(client.send(new ListTagsForResourceCommand({ ResourceArn: arn })), 'NotFoundException', /does not exist/);
    await refused(client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { x: 'y' } })), 'NotFoundException', /does not exist/);
    await refused(client.send(new DeleteCanaryCommand({ Name: 'api-one' })), 'ResourceNotFoundException', /does not exist/);
  }
});

test('the AWS CLIs and boto3 1.26 create, read and refuse canaries', async () => {
  const { stdout } = await run('aws', ['synthetics', 'describe-canaries', '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() });
  assert.ok((JSON.parse(stdout) as { Canaries: { Name: string }[] }).Canaries.some((c) => c.Name === 'api-one'));
  const v2 = await run('/usr/bin/aws', ['synthetics', 'get-canary', '--name', 'api-one', '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() });
  assert.equal((JSON.parse(v2.stdout) as { Canary: { Status: { State: string } } }).Canary.Status.State, 'READY');
  const py = `
import boto3, json, io, zipfile
c = boto3.client('synthetics', endpoint_url='${server.url}', region_name='us-east-1')
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w') as z:
    z.writestr('nodejs/node_modules/check.js', "exports.handler = async () => 'ok';")
c.create_canary(Name='from-boto3', Code={'ZipFile': buf.getvalue(), 'Handler': 'check.handler'}, ArtifactS3Location='s3://canary-artifacts/b',
    ExecutionRoleArn='arn:aws:iam::000000000000:role/canary', Schedule={'Expression': 'rate(1 hour)'}, RuntimeVersion='syn-nodejs-puppeteer-9.1')
out = {'created': c.get_canary(Name='from-boto3')['Canary']['Schedule']['Expression']}
try:
    c.create_canary(Name='bad-boto3', Code={'ZipFile': buf.getvalue(), 'Handler': 'missing.handler'}, ArtifactS3Location='s3://canary-artifacts/b',
        ExecutionRoleArn='arn:aws:iam::000000000000:role/canary', Schedule={'Expression': 'rate(1 hour)'}, RuntimeVersion='syn-nodejs-puppeteer-9.1')
except c.exceptions.ValidationException as e:
    out['error'] = e.response['Error']['Message']
print(json.dumps(out))
`;
  const boto = JSON.parse((await run('/usr/bin/python3', ['-c', py], { env: awsEnv() })).stdout) as { created: string; error: string };
  assert.equal(boto.created, 'rate(1 hour)');
  assert.match(boto.error, /handler file for missing\.handler is not in the code zip/);
});
