/**
 * Parameter Store (the `ssm` module) through real clients: SDK v3, the AWS CLI v1 (botocore 1.43)
 * and Debian's boto3 1.26 — versions, labels, hierarchies, SecureString, tags, quotas, errors and
 * (account, region) isolation, and values surviving a restart.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  AddTagsToResourceCommand, DeleteParameterCommand, DeleteParametersCommand, DescribeParametersCommand, GetParameterCommand,
  GetParameterHistoryCommand, GetParametersByPathCommand, GetParametersCommand, LabelParameterVersionCommand, ListTagsForResourceCommand,
  PutParameterCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { failure } from './helpers/failure.ts';

const run = promisify(execFile);
let server: TestServer;
let ssm: SSMClient;
/** Two accounts: the dev key and a second one, to prove isolation. */
const KEYS = {
  OSPREY_ACCESS_KEYS: JSON.stringify([
    { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' },
    { accessKeyId: 'OTHERACCOUNT', secretAccessKey: 'other', accountId: '111111111111' },
  ]),
};

before(async () => {
  server = await startTestServer({ modules: ['ssm'], env: KEYS });
  ssm = new SSMClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('versions, selectors and labels: put, overwrite, get by :version and :label, history', async () => {
  assert.deepEqual((await ssm.send(new PutParameterCommand({ Name: '/app/db/url', Value: 'v1', Type: 'String' }))).Version, 1);
  const dup = await failure(ssm.send(new PutParameterCommand({ Name: '/app/db/url', Value: 'v2', Type: 'String' })));
  assert.equal(dup.name, 'ParameterAlreadyExists');
  assert.equal((await ssm.send(new PutParameterCommand({ Name: '/app/db/url', Value: 'v2', Overwrite: true }))).Version, 2);
  const got = await ssm.send(new GetParameterCommand({ Name: '/app/db/url' }));
  assert.equal(got.Parameter?.Value, 'v2');
  assert.equal(got.Parameter?.Version, 2);
  assert.equal(got.Parameter?.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/app/db/url');
  assert.ok(got.Parameter?.LastModifiedDate instanceof Date);
  const v1 = await ssm.send(new GetParameterCommand({ Name: '/app/db/url:1' }));
  assert.equal(v1.Parameter?.Value, 'v1');
  assert.equal(v1.Parameter?.Selector, ':1');
  const labelled = await ssm.send(new LabelParameterVersionCommand({ Name: '/app/db/url', ParameterVersion: 1, Labels: ['stable', '1bad'] }));
  assert.deepEqual(labelled.InvalidLabels, ['1bad']);
  assert.equal((await ssm.send(new GetParameterCommand({ Name: '/app/db/url:stable' }))).Parameter?.Value, 'v1');
  // A label moves to the version it is put on.
  await ssm.send(new LabelParameterVersionCommand({ Name: '/app/db/url', Labels: ['stable'] }));
  assert.equal((await ssm.send(new GetParameterCommand({ Name: '/app/db/url:stable' }))).Parameter?.Value, 'v2');
  const hist = await ssm.send(new GetParameterHistoryCommand({ Name: '/app/db/url' }));
  assert.deepEqual(hist.Parameters?.map((p) => [p.Version, p.Value, p.Labels]), [[1, 'v1', []], [2, 'v2', ['stable']]]);
  const missing = await failure(ssm.send(new GetParameterCommand({ Name: '/app/db/url:7' })));
  assert.equal(missing.name, 'ParameterVersionNotFound');
  assert.equal((await failure(ssm.send(new GetParameterCommand({ Name: '/nope' })))).name, 'ParameterNotFound');
});

test('hierarchies: GetParametersByPath one level and recursive, paged; DescribeParameters filters', async () => {
  for (const n of ['/h/a', '/h/b', '/h/sub/c', '/h/sub/deep/d', '/other/x']) {
    await ssm.send(new PutParameterCommand({ Name: n, Value: n, Type: n.endsWith('d') ? 'SecureString' : 'String' }));
  }
  const one = await ssm.send(new GetParametersByPathCommand({ Path: '/h' }));
  assert.deepEqual(one.Parameters?.map((p) => p.Name), ['/h/a', '/h/b']);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await ssm.send(new GetParametersByPathCommand({ Path: '/h/', Recursive: true, MaxResults: 2, NextToken: token, WithDecryption: true }));
    names.push(...(page.Parameters ?? []).map((p) => `${p.Name}=${p.Value}`));
    token = page.NextToken;
  } while (token);
  assert.deepEqual(names, ['/h/a=/h/a', '/h/b=/h/b', '/h/sub/c=/h/sub/c', '/h/sub/deep/d=/h/sub/deep/d']);
  const secure = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }, { Key: 'Path', Option: 'Recursive', Values: ['/h'] }] }));
  assert.deepEqual(secure.Parameters?.map((p) => [p.Name, p.KeyId]), [['/h/sub/deep/d', 'alias/aws/ssm']]);
  const begins = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/h/sub'] }] }));
  assert.deepEqual(begins.Parameters?.map((p) => p.Name), ['/h/sub/c', '/h/sub/deep/d']);
  // A key outside the model's pattern is a ValidationException; a modelled key this operation does not take is InvalidFilterKey.
  assert.equal((await failure(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Colour', Values: ['x'] }] })))).name, 'ValidationException');
  const badKey = await failure(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Label', Values: ['x'] }] })));
  assert.equal(badKey.name, 'InvalidFilterKey');
  assert.match(badKey.message, /Label/);
  const many = await ssm.send(new GetParametersCommand({ Names: ['/h/a', '/h/missing', '/h/sub/deep/d'], WithDecryption: false }));
  assert.deepEqual(many.Parameters?.map((p) => p.Name), ['/h/a', '/h/sub/deep/d']);
  assert.notEqual(many.Parameters?.[1]?.Value, '/h/sub/deep/d', 'SecureString without WithDecryption is not the plaintext');
  assert.deepEqual(many.InvalidParameters, ['/h/missing']);
  const del = await ssm.send(new DeleteParametersCommand({ Names: ['/other/x', '/other/none'] }));
  assert.deepEqual([del.DeletedParameters, del.InvalidParameters], [['/other/x'], ['/other/none']]);
});

test('bad input gets Parameter Store errors, never a 500', async () => {
  const cases: [PutParameterCommand, string][] = [
    [new PutParameterCommand({ Name: 'aws-reserved', Value: 'x', Type: 'String' }), 'ValidationException'],
    [new PutParameterCommand({ Name: 'a/b', Value: 'x', Type: 'String' }), 'ValidationException'],
    [new PutParameterCommand({ Name: 'notype', Value: 'x' }), 'ValidationException'],
    [new PutParameterCommand({ Name: 'big', Value: 'x'.repeat(4097), Type: 'String' }), 'ValidationException'],
    [new PutParameterCommand({ Name: 'pat', Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' }), 'ParameterPatternMismatchException'],
    [new PutParameterCommand({ Name: 'pol', Value: 'x', Type: 'String', Tier: 'Advanced', Policies: '[]' }), 'InvalidPolicyTypeException'],
    [new PutParameterCommand({ Name: '/' + Array.from({ length: 16 }, (_, i) => `l${i}`).join('/'), Value: 'x', Type: 'String' }), 'HierarchyLevelLimitExceededException'],
  ];
  for (const [cmd, code] of cases) {
    const f = await failure(ssm.send(cmd));
    assert.equal(f.name, code, `${cmd.input.Name}: ${f.message}`);
    assert.equal(f.status, 400);
  }
  // Advanced tier takes 8 KB values.
  assert.equal((await ssm.send(new PutParameterCommand({ Name: 'big', Value: 'x'.repeat(8000), Type: 'String', Tier: 'Advanced' }))).Tier, 'Advanced');
  await ssm.send(new PutParameterCommand({ Name: 'typed', Value: 'x', Type: 'String' }));
  assert.equal((await failure(ssm.send(new PutParameterCommand({ Name: 'typed', Value: 'x', Type: 'SecureString', Overwrite: true })))).name, 'HierarchyTypeMismatchException');
});

test('tags, and another account or region sees nothing', async () => {
  await ssm.send(new PutParameterCommand({ Name: 'tagged', Value: 'x', Type: 'String', Tags: [{ Key: 'team', Value: 'obs' }] }));
  await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: 'tagged', Tags: [{ Key: 'env', Value: 'prod' }] }));
  const tags = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: 'tagged' }));
  assert.deepEqual(tags.TagList, [{ Key: 'team', Value: 'obs' }, { Key: 'env', Value: 'prod' }]);
  const byTag = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag:env', Values: ['prod'] }] }));
  assert.deepEqual(byTag.Parameters?.map((p) => p.Name), ['tagged']);
  const west = new SSMClient(sdkConfig(server.url, 'eu-west-1'));
  assert.equal((await failure(west.send(new GetParameterCommand({ Name: 'tagged' })))).name, 'ParameterNotFound');
  const other = new SSMClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'OTHERACCOUNT', secretAccessKey: 'other' } });
  assert.equal((await failure(other.send(new GetParameterCommand({ Name: 'tagged' })))).name, 'ParameterNotFound');
  assert.deepEqual((await other.send(new DescribeParametersCommand({}))).Parameters, []);
  // Naming the first account's parameter by ARN does not reach it either.
  const hostile = await failure(other.send(new GetParameterCommand({ Name: 'arn:aws:ssm:us-east-1:000000000000:parameter/tagged' })));
  assert.equal(hostile.name, 'ValidationException');
  await other.send(new PutParameterCommand({ Name: 'tagged', Value: 'theirs', Type: 'String' }));
  assert.equal((await ssm.send(new GetParameterCommand({ Name: 'tagged' }))).Parameter?.Value, 'x');
  await ssm.send(new DeleteParameterCommand({ Name: 'tagged' }));
  assert.equal((await failure(ssm.send(new DeleteParameterCommand({ Name: 'tagged' })))).name, 'ParameterNotFound');
});

test('AWS CLI v1 and boto3 1.26 read and write the same parameters', async () => {
  const cli = async (args: string[]) => {
    const { stdout } = await run('aws', [...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() });
    return (stdout.trim() ? JSON.parse(stdout) : {}) as Record<string, unknown>;
  };
  const put = await cli(['ssm', 'put-parameter', '--name', '/cli/agent-config', '--type', 'String', '--value', '{"agent":{"metrics_collection_interval":60}}']);
  assert.deepEqual(put, { Version: 1, Tier: 'Standard' });
  const got = (await cli(['ssm', 'get-parameter', '--name', '/cli/agent-config'])) as { Parameter: { Value: string } };
  assert.equal(JSON.parse(got.Parameter.Value).agent.metrics_collection_interval, 60);
  const script = [
    'import boto3, json',
    `c = boto3.client('ssm', endpoint_url=${JSON.stringify(server.url)}, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')`,
    "c.put_parameter(Name='/cli/secret', Value='s3cr3t', Type='SecureString')",
    "p = c.get_parameters_by_path(Path='/cli', WithDecryption=True)['Parameters']",
    'try:',
    "  c.get_parameter(Name='/cli/none')",
    'except c.exceptions.ParameterNotFound as e:',
    "  err = e.response['Error']['Code']",
    "print(json.dumps({'names': [x['Name'] for x in p], 'secret': [x['Value'] for x in p if x['Type'] == 'SecureString'], 'err': err}))",
  ].join('\n');
  const { stdout } = await run('/usr/bin/python3', ['-c', script], { env: awsEnv() });
  assert.deepEqual(JSON.parse(stdout), { names: ['/cli/agent-config', '/cli/secret'], secret: ['s3cr3t'], err: 'ParameterNotFound' });
});

test('parameters survive a restart (SecureString still opens)', async () => {
  await ssm.send(new PutParameterCommand({ Name: '/restart/s', Value: 'kept', Type: 'SecureString' }));
  await server.kill();
  server = await startTestServer({ modules: ['ssm'], dataDir: server.dataDir, env: KEYS });
  ssm = new SSMClient(sdkConfig(server.url));
  const got = await ssm.send(new GetParameterCommand({ Name: '/restart/s', WithDecryption: true }));
  assert.equal(got.Parameter?.Value, 'kept');
});
