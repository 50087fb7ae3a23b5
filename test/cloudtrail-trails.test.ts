/**
 * CloudTrail trails through the SDK and the AWS CLI v1: create, read, update and delete with AWS's
 * shapes and errors, logging state, basic and advanced event selectors with their validation,
 * Insights selectors, tags, multi-region trails seen as shadow trails in other Regions, and another
 * account seeing none of it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  AddTagsCommand, CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, DescribeTrailsCommand, GetEventSelectorsCommand,
  GetInsightSelectorsCommand, GetTrailCommand, GetTrailStatusCommand, ListTagsCommand, ListTrailsCommand, PutEventSelectorsCommand,
  PutInsightSelectorsCommand, RemoveTagsCommand, StartLoggingCommand, StopLoggingCommand, UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { failure } from './helpers/failure.ts';
import { ACCOUNT, OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
const arnOf = (name: string, region = 'us-east-1') => `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;
let server: TestServer;
let ct: CloudTrailClient;
const client = (region: string, credentials?: typeof OTHER) => new CloudTrailClient({ ...sdkConfig(server.url, region), ...(credentials ? { credentials } : {}) });

before(async () => {
  server = await startTestServer({
    modules: ['logs', 'cloudtrail'],
    env: {
      OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'trail-bucket': `file://${mkdtempSync(join(tmpdir(), 'osprey-trails-'))}` }),
      OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS,
    },
  });
  ct = new CloudTrailClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('create, get, update, describe, list and delete a trail in AWS\'s shapes', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/audit' }));
  const groupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:CloudTrail/audit:*`;
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/CloudTrail_CloudWatchLogs_Role`;
  const created = await ct.send(new CreateTrailCommand({
    Name: 'audit', S3BucketName: 'trail-bucket', S3KeyPrefix: 'ct', CloudWatchLogsLogGroupArn: groupArn, CloudWatchLogsRoleArn: roleArn,
    SnsTopicName: 'trail-notes', TagsList: [{ Key: 'team', Value: 'sec' }],
  }));
  const { $metadata: _m, ...shape } = created;
  assert.deepEqual(shape, {
    Name: 'audit', S3BucketName: 'trail-bucket', S3KeyPrefix: 'ct', SnsTopicName: 'trail-notes', SnsTopicARN: `arn:aws:sns:us-east-1:${ACCOUNT}:trail-notes`,
    IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, TrailARN: arnOf('audit'), LogFileValidationEnabled: false,
    CloudWatchLogsLogGroupArn: groupArn, CloudWatchLogsRoleArn: roleArn, IsOrganizationTrail: false,
  });
  const got = (await ct.send(new GetTrailCommand({ Name: 'audit' }))).Trail!;
  assert.equal(got.HomeRegion, 'us-east-1');
  assert.equal(got.HasCustomEventSelectors, false);
  assert.equal(got.HasInsightSelectors, false);
  assert.deepEqual((await ct.send(new GetTrailCommand({ Name: arnOf('audit') }))).Trail, got, 'by ARN too');

  const updated = await ct.send(new UpdateTrailCommand({ Name: arnOf('audit'), EnableLogFileValidation: true, S3KeyPrefix: '', KmsKeyId: 'alias/trail' }));
  assert.equal(updated.LogFileValidationEnabled, true);
  assert.equal(updated.S3KeyPrefix, undefined, 'an empty string removes the prefix');
  assert.equal(updated.KmsKeyId, `arn:aws:kms:us-east-1:${ACCOUNT}:alias/trail`);
  assert.equal(updated.CloudWatchLogsLogGroupArn, groupArn, 'members not given are kept');

  const described = (await ct.send(new DescribeTrailsCommand({ trailNameList: ['audit', arnOf('audit'), 'no-such-trail'] }))).trailList!;
  assert.deepEqual(described.map((t) => t.Name), ['audit'], 'unknown names are left out, a trail named twice appears once');
  const listed = (await ct.send(new ListTrailsCommand({}))).Trails!;
  assert.deepEqual(listed.find((t) => t.Name === 'audit'), { TrailARN: arnOf('audit'), Name: 'audit', HomeRegion: 'us-east-1' });

  await ct.send(new DeleteTrailCommand({ Name: 'audit' }));
  const gone = await failure(ct.send(new GetTrailCommand({ Name: 'audit' })));
  assert.deepEqual(gone, { name: 'TrailNotFoundException', message: `Unknown trail: ${arnOf('audit')} for the user: ${ACCOUNT}`, status: 400 });
  assert.equal((await failure(ct.send(new DeleteTrailCommand({ Name: 'audit' })))).name, 'TrailNotFoundException');
});

test('CreateTrail refuses bad names, duplicates, unknown buckets and log groups, organization trails, a 6th trail', async () => {
  const c = client('ap-south-1');
  const create = (input: Partial<ConstructorParameters<typeof CreateTrailCommand>[0]>) =>
    failure(c.send(new CreateTrailCommand({ Name: 'ok-trail', S3BucketName: 'trail-bucket', ...input })));
  assert.equal((await create({ Name: 'my--trail' })).name, 'InvalidTrailNameException');
  assert.match((await create({ Name: 'ab' })).message, /Minimum allowed length: 3/);
  assert.equal((await create({ Name: '10.0.0.1' })).name, 'InvalidTrailNameException');
  const bucket = await create({ S3BucketName: 'not-mapped' });
  assert.equal(bucket.name, 'S3BucketDoesNotExistException');
  assert.match(bucket.message, /not-mapped.*export\.buckets/);
  const group = await create({
    CloudWatchLogsLogGroupArn: `arn:aws:logs:ap-south-1:${ACCOUNT}:log-group:missing:*`, CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
  });
  assert.equal(group.name, 'InvalidCloudWatchLogsLogGroupArnException');
  assert.equal((await create({ CloudWatchLogsLogGroupArn: `arn:aws:logs:ap-south-1:${ACCOUNT}:log-group:missing:*` })).name, 'InvalidCloudWatchLogsRoleArnException');
  const org = await create({ IsOrganizationTrail: true });
  assert.equal(org.name, 'OrganizationsNotInUseException');
  assert.equal((await create({ IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false })).name, 'InvalidParameterCombinationException');

  for (let i = 1; i <= 5; i++) await c.send(new CreateTrailCommand({ Name: `quota-${i}`, S3BucketName: 'trail-bucket' }));
  const dup = await create({ Name: 'quota-1' });
  assert.deepEqual([dup.name, dup.message], ['TrailAlreadyExistsException', `Trail quota-1 already exists for customer: ${ACCOUNT}`]);
  const sixth = await create({ Name: 'quota-6' });
  assert.equal(sixth.name, 'MaximumNumberOfTrailsExceededException');
  for (let i = 1; i <= 5; i++) await c.send(new DeleteTrailCommand({ Name: `quota-${i}` }));
});

test('StartLogging and StopLogging show in GetTrailStatus', async () => {
  await ct.send(new CreateTrailCommand({ Name: 'status', S3BucketName: 'trail-bucket' }));
  const before = await ct.send(new GetTrailStatusCommand({ Name: 'status' }));
  assert.equal(before.IsLogging, false, 'a new trail does not log until StartLogging');
  assert.equal(before.StartLoggingTime, undefined);
  const t0 = Date.now() - 1000;
  await ct.send(new StartLoggingCommand({ Name: 'status' }));
  const started = await ct.send(new GetTrailStatusCommand({ Name: arnOf('status') }));
  assert.equal(started.IsLogging, true);
  assert.ok(started.StartLoggingTime!.getTime() >= t0);
  assert.match(started.TimeLoggingStarted!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await ct.send(new StopLoggingCommand({ Name: 'status' }));
  const stopped = await ct.send(new GetTrailStatusCommand({ Name: 'status' }));
  assert.equal(stopped.IsLogging, false);
  assert.ok(stopped.StopLoggingTime!.getTime() >= started.StartLoggingTime!.getTime());
  assert.equal((await failure(ct.send(new StartLoggingCommand({ Name: 'nope-trail' })))).name, 'TrailNotFoundException');
  await ct.send(new DeleteTrailCommand({ Name: 'status' }));
});

test('event selectors: AWS defaults, basic and advanced round-trips, never both, AWS limits', async () => {
  await ct.send(new CreateTrailCommand({ Name: 'selective', S3BucketName: 'trail-bucket' }));
  const initial = await ct.send(new GetEventSelectorsCommand({ TrailName: 'selective' }));
  assert.deepEqual(initial.EventSelectors, [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);

  const basic = [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::Logs::LogGroup', Values: ['arn:aws:logs'] }], ExcludeManagementEventSources: [] }];
  const put = await ct.send(new PutEventSelectorsCommand({ TrailName: 'selective', EventSelectors: basic }));
  assert.deepEqual([put.TrailARN, put.EventSelectors], [arnOf('selective'), basic]);
  assert.deepEqual((await ct.send(new GetEventSelectorsCommand({ TrailName: arnOf('selective') }))).EventSelectors, basic);
  assert.equal((await ct.send(new GetTrailCommand({ Name: 'selective' }))).Trail!.HasCustomEventSelectors, true);

  const advanced = [
    { Name: 'writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] },
    { Name: 'metrics', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::CloudWatch::Metric'] }, { Field: 'eventName', Equals: ['PutMetricData'] }] },
  ];
  await ct.send(new PutEventSelectorsCommand({ TrailName: 'selective', AdvancedEventSelectors: advanced }));
  const got = await ct.send(new GetEventSelectorsCommand({ TrailName: 'selective' }));
  assert.deepEqual(got.AdvancedEventSelectors, advanced);
  assert.equal(got.EventSelectors, undefined, 'advanced selectors replace basic ones');

  const invalid = async (input: Omit<ConstructorParameters<typeof PutEventSelectorsCommand>[0], 'TrailName'>, re: RegExp) => {
    const e = await failure(ct.send(new PutEventSelectorsCommand({ TrailName: 'selective', ...input })));
    assert.equal(e.name, 'InvalidEventSelectorsException', e.message);
    assert.match(e.message, re);
  };
  await invalid({ EventSelectors: basic, AdvancedEventSelectors: advanced }, /not both/);
  await invalid({ EventSelectors: Array.from({ length: 6 }, () => ({ ReadWriteType: 'All' as const })) }, /at most 5/);
  await invalid({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventName', Equals: ['PutLogEvents'] }] }] }, /eventCategory/);
  await invalid({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] }, /resources\.type/);
  assert.deepEqual((await ct.send(new GetEventSelectorsCommand({ TrailName: 'selective' }))).AdvancedEventSelectors, advanced, 'a refused put changes nothing');
  await ct.send(new DeleteTrailCommand({ Name: 'selective' }));
});

test('Insights selectors: not enabled until put, then returned and flagged on the trail', async () => {
  await ct.send(new CreateTrailCommand({ Name: 'insightful', S3BucketName: 'trail-bucket' }));
  assert.equal((await failure(ct.send(new GetInsightSelectorsCommand({ TrailName: 'insightful' })))).name, 'InsightNotEnabledException');
  const selectors = [{ InsightType: 'ApiCallRateInsight' as const }, { InsightType: 'ApiErrorRateInsight' as const }];
  await ct.send(new PutInsightSelectorsCommand({ TrailName: 'insightful', InsightSelectors: selectors }));
  const got = await ct.send(new GetInsightSelectorsCommand({ TrailName: 'insightful' }));
  assert.deepEqual([got.TrailARN, got.InsightSelectors], [arnOf('insightful'), selectors]);
  assert.equal((await ct.send(new GetTrailCommand({ Name: 'insightful' }))).Trail!.HasInsightSelectors, true);
  const dup = await failure(ct.send(new PutInsightSelectorsCommand({ TrailName: 'insightful', InsightSelectors: [selectors[0], selectors[0]] })));
  assert.equal(dup.name, 'InvalidInsightSelectorsException');
  await ct.send(new DeleteTrailCommand({ Name: 'insightful' }));
});

test('tags: add, list by ARN, remove; unknown ARNs are errors', async () => {
  await ct.send(new CreateTrailCommand({ Name: 'tagged', S3BucketName: 'trail-bucket', TagsList: [{ Key: 'a', Value: '1' }] }));
  await ct.send(new AddTagsCommand({ ResourceId: arnOf('tagged'), TagsList: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: 'one' }] }));
  const list = async () => (await ct.send(new ListTagsCommand({ ResourceIdList: [arnOf('tagged')] }))).ResourceTagList;
  assert.deepEqual(await list(), [{ ResourceId: arnOf('tagged'), TagsList: [{ Key: 'a', Value: 'one' }, { Key: 'b', Value: '2' }] }]);
  await ct.send(new RemoveTagsCommand({ ResourceId: arnOf('tagged'), TagsList: [{ Key: 'a' }] }));
  assert.deepEqual(await list(), [{ ResourceId: arnOf('tagged'), TagsList: [{ Key: 'b', Value: '2' }] }]);
  assert.equal((await failure(ct.send(new ListTagsCommand({ ResourceIdList: [arnOf('untagged')] })))).name, 'ResourceNotFoundException');
  assert.equal((await failure(ct.send(new AddTagsCommand({ ResourceId: 'tagged', TagsList: [{ Key: 'x', Value: 'y' }] })))).name, 'CloudTrailARNInvalidException');
  const reserved = await failure(ct.send(new AddTagsCommand({ ResourceId: arnOf('tagged'), TagsList: [{ Key: 'aws:x', Value: 'y' }] })));
  assert.equal(reserved.name, 'InvalidTagParameterException');
  await ct.send(new DeleteTrailCommand({ Name: 'tagged' }));
});

test('a multi-region trail is a shadow trail in other Regions: visible with HomeRegion, managed only at home', async () => {
  await ct.send(new CreateTrailCommand({ Name: 'org-wide', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true }));
  await ct.send(new CreateTrailCommand({ Name: 'east-only', S3BucketName: 'trail-bucket' }));
  const eu = client('eu-west-1');
  const shadows = (await eu.send(new DescribeTrailsCommand({}))).trailList!;
  assert.deepEqual(shadows.map((t) => [t.Name, t.HomeRegion, t.TrailARN]), [['org-wide', 'us-east-1', arnOf('org-wide')]]);
  assert.deepEqual((await eu.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList, []);
  assert.deepEqual((await eu.send(new DescribeTrailsCommand({ trailNameList: [arnOf('east-only')] }))).trailList!.map((t) => t.Name), ['east-only'],
    'an ARN reaches a trail of another Region');
  assert.deepEqual((await eu.send(new ListTrailsCommand({}))).Trails, [{ TrailARN: arnOf('org-wide'), Name: 'org-wide', HomeRegion: 'us-east-1' }]);
  assert.equal((await eu.send(new GetTrailStatusCommand({ Name: 'org-wide' }))).IsLogging, false);
  assert.equal((await failure(eu.send(new GetTrailCommand({ Name: 'east-only' })))).name, 'TrailNotFoundException');
  assert.equal((await failure(eu.send(new StartLoggingCommand({ Name: 'org-wide' })))).name, 'InvalidHomeRegionException');
  assert.equal((await failure(eu.send(new DeleteTrailCommand({ Name: arnOf('org-wide') })))).name, 'InvalidHomeRegionException');
  const clash = await failure(eu.send(new CreateTrailCommand({ Name: 'org-wide', S3BucketName: 'trail-bucket' })));
  assert.equal(clash.name, 'TrailAlreadyExistsException', 'the shadow trail holds the name in every Region');
  await ct.send(new DeleteTrailCommand({ Name: 'org-wide' }));
  await ct.send(new DeleteTrailCommand({ Name: 'east-only' }));
  assert.deepEqual((await eu.send(new DescribeTrailsCommand({}))).trailList, []);
});

test('another account sees none of this account\'s trails and may reuse their names', async () => {
  await ct.send(new CreateTrailCommand({ Name: 'private', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true }));
  const other = client('us-east-1', OTHER);
  assert.deepEqual((await other.send(new DescribeTrailsCommand({}))).trailList, []);
  assert.deepEqual((await other.send(new ListTrailsCommand({}))).Trails, []);
  assert.equal((await failure(other.send(new GetTrailCommand({ Name: arnOf('private') })))).name, 'TrailNotFoundException');
  assert.equal((await failure(other.send(new StopLoggingCommand({ Name: 'private' })))).name, 'TrailNotFoundException');
  assert.equal((await failure(other.send(new ListTagsCommand({ ResourceIdList: [arnOf('private')] })))).name, 'ResourceNotFoundException');
  const mine = await other.send(new CreateTrailCommand({ Name: 'private', S3BucketName: 'trail-bucket' }));
  assert.equal(mine.TrailARN, 'arn:aws:cloudtrail:us-east-1:111111111111:trail/private');
  assert.deepEqual((await ct.send(new DescribeTrailsCommand({}))).trailList!.map((t) => t.TrailARN), [arnOf('private')]);
  await other.send(new DeleteTrailCommand({ Name: 'private' }));
  await ct.send(new DeleteTrailCommand({ Name: 'private' }));
});

test('AWS CLI v1: describe-trails shows a trail with its home Region', async () => {
  await ct.send(new CreateTrailCommand({ Name: 'cli-trail', S3BucketName: 'trail-bucket', EnableLogFileValidation: true }));
  const { stdout } = await run('aws', ['cloudtrail', 'describe-trails', '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() });
  const trails = (JSON.parse(stdout) as { trailList: Array<Record<string, unknown>> }).trailList;
  const mine = trails.find((t) => t.Name === 'cli-trail');
  assert.ok(mine, stdout);
  assert.equal(mine.TrailARN, arnOf('cli-trail'));
  assert.equal(mine.HomeRegion, 'us-east-1');
  assert.equal(mine.LogFileValidationEnabled, true);
  assert.equal(mine.IsOrganizationTrail, false);
  await ct.send(new DeleteTrailCommand({ Name: 'cli-trail' }));
});
