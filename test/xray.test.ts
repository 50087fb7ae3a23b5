/**
 * X-Ray against the real server with SDK v3: segment documents in (with AWS's per-document
 * errors), whole traces with inferred segments, trace summaries with filter expressions, the
 * service graph, groups, sampling rules and targets, and account isolation.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchGetTracesCommand, CreateGroupCommand, CreateSamplingRuleCommand, DeleteGroupCommand, DeleteSamplingRuleCommand, GetGroupsCommand,
  GetSamplingRulesCommand, GetSamplingTargetsCommand, GetServiceGraphCommand, GetTraceGraphCommand, GetTraceSummariesCommand,
  PutTraceSegmentsCommand, UpdateSamplingRuleCommand, XRayClient,
} from '@aws-sdk/client-xray';
import { OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { failure } from './helpers/failure.ts';
import { scorekeepTrace } from './helpers/scorekeep.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';


let server: TestServer;
let xray: XRayClient;

before(async () => {
  server = await startTestServer({ modules: ['xray'], env: { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS } });
  xray = new XRayClient(sdkConfig(server.url));
});
after(async () => {
  xray?.destroy();
  await server?.stop();
  server?.cleanup();
});


const window = () => ({ StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000) });

test('PutTraceSegments stores good documents and answers AWS errors for bad ones', async () => {
  const { docs } = scorekeepTrace();
  const out = await xray.send(new PutTraceSegmentsCommand({
    TraceSegmentDocuments: [...docs, '{"id":"1111111111111111","name":"x","start_time":1,"end_time":2,"trace_id":"1-5759e988-bd862e3fe1be46a994272793"}', 'not json'],
  }));
  assert.deepEqual(out.UnprocessedTraceSegments, [
    { Id: '1111111111111111', ErrorCode: 'InvalidTraceId', Message: 'Invalid segment. ErrorCode: InvalidTraceId' },
    { ErrorCode: 'InvalidSegment', Message: 'Invalid segment. ErrorCode: InvalidSegment' },
  ]);
});

test('BatchGetTraces returns the processed trace with inferred segments; GetTraceGraph its services', async () => {
  const { traceId, docs } = scorekeepTrace();
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  const out = await xray.send(new BatchGetTracesCommand({ TraceIds: [traceId, '1-00000000-000000000000000000000000'] }));
  assert.deepEqual(out.UnprocessedTraceIds, ['1-00000000-000000000000000000000000']);
  const [trace] = out.Traces!;
  assert.equal(trace!.Duration, 3.232);
  const segs = trace!.Segments!.map((s) => JSON.parse(s.Document!) as Record<string, unknown>);
  assert.deepEqual(segs.map((s) => [s.name, s.origin, s.inferred ?? false]).sort(), [
    ['DynamoDB', 'AWS::DynamoDB::Table', true], ['SNS', 'AWS::SNS', true], ['Scorekeep', 'AWS::ElasticBeanstalk::Environment', false],
    ['random-name', 'AWS::Lambda', false], ['random-name', 'AWS::Lambda::Function', false],
  ]);
  const graph = await xray.send(new GetTraceGraphCommand({ TraceIds: [traceId] }));
  assert.equal(graph.Services!.length, 6);
});

test('GetTraceSummaries filters with the X-Ray filter-expression language', async () => {
  const { traceId, docs } = scorekeepTrace();
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  const find = async (FilterExpression: string) =>
    (await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression }))).TraceSummaries!.map((s) => s.Id);
  assert.ok((await find('service("Scorekeep") AND responsetime > 3')).includes(traceId));
  assert.ok((await find('edge("random-name", "SNS") AND annotation.UserID = "5M388M1E"')).includes(traceId));
  assert.ok(!(await find('responsetime > 5')).includes(traceId));
  const [summary] = (await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: `user = "5M388M1E"` }))).TraceSummaries!.filter((s) => s.Id === traceId);
  assert.equal(summary!.Duration, 3.232);
  assert.equal(summary!.HasFault, false);
  assert.deepEqual(summary!.Http, { HttpURL: 'http://scorekeep.elasticbeanstalk.com/api/user', HttpStatus: 200, HttpMethod: 'POST', UserAgent: summary!.Http!.UserAgent, ClientIp: '205.251.233.183' });
  assert.deepEqual(summary!.EntryPoint, { Name: 'Scorekeep', Names: ['Scorekeep'], Type: 'AWS::ElasticBeanstalk::Environment' });
  assert.deepEqual(summary!.Annotations!.UserID, [{ AnnotationValue: { StringValue: '5M388M1E' }, ServiceIds: [{ Name: 'random-name', Names: ['random-name'], AccountId: '123456789012', Type: 'AWS::Lambda::Function' }] }]);
  const bad = await failure(xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'responsetime >' })));
  assert.equal(bad.name, 'InvalidRequestException');
  assert.equal(bad.status, 400);
  assert.match(bad.message, /^Invalid filter expression: 'responsetime' is compared with a number/);
});

test('GetServiceGraph connects the services, also through a group', async () => {
  const { docs } = scorekeepTrace();
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  const graph = await xray.send(new GetServiceGraphCommand(window()));
  const names = graph.Services!.map((s) => `${s.Name}|${s.Type}`);
  for (const n of ['Scorekeep|client', 'Scorekeep|AWS::ElasticBeanstalk::Environment', 'scorekeep-user|AWS::DynamoDB::Table', 'SNS|AWS::SNS']) assert.ok(names.includes(n), n);
  const { Group } = await xray.send(new CreateGroupCommand({ GroupName: 'slow', FilterExpression: 'responsetime > 100' }));
  assert.match(Group!.GroupARN!, /^arn:aws:xray:us-east-1:000000000000:group\/slow\/[0-9A-F]{26}$/);
  assert.deepEqual((await xray.send(new GetServiceGraphCommand({ ...window(), GroupName: 'slow' }))).Services, []);
  assert.deepEqual((await xray.send(new GetGroupsCommand({}))).Groups!.map((g) => g.GroupName), ['Default', 'slow']);
  const bad = await failure(xray.send(new CreateGroupCommand({ GroupName: 'broken', FilterExpression: 'service(' })));
  assert.equal(bad.name, 'InvalidRequestException');
  await xray.send(new DeleteGroupCommand({ GroupName: 'slow' }));
});

test('sampling rules: the Default rule, a custom rule, and reservoir targets for a polling SDK', async () => {
  const rules = await xray.send(new GetSamplingRulesCommand({}));
  assert.deepEqual(rules.SamplingRuleRecords!.map((r) => [r.SamplingRule!.RuleName, r.SamplingRule!.Priority, r.SamplingRule!.FixedRate, r.SamplingRule!.ReservoirSize]), [['Default', 10000, 0.05, 1]]);
  const rule = { RuleName: 'checkout', ResourceARN: '*', Priority: 100, FixedRate: 0, ReservoirSize: 1, ServiceName: 'checkout', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1 };
  const created = await xray.send(new CreateSamplingRuleCommand({ SamplingRule: rule }));
  assert.equal(created.SamplingRuleRecord!.SamplingRule!.RuleARN, 'arn:aws:xray:us-east-1:000000000000:sampling-rule/checkout');
  assert.deepEqual(created.SamplingRuleRecord!.SamplingRule!.Attributes, {});
  assert.equal((await failure(xray.send(new CreateSamplingRuleCommand({ SamplingRule: rule })))).name, 'InvalidRequestException');
  const ClientID = 'a'.repeat(24);
  const targets = await xray.send(new GetSamplingTargetsCommand({
    SamplingStatisticsDocuments: [
      { RuleName: 'checkout', ClientID, Timestamp: new Date(), RequestCount: 500, SampledCount: 10, BorrowCount: 10 },
      { RuleName: 'nope', ClientID, Timestamp: new Date(), RequestCount: 1, SampledCount: 0 },
    ],
  }));
  assert.deepEqual(targets.SamplingTargetDocuments!.map((t) => [t.RuleName, t.FixedRate, t.ReservoirQuota, t.Interval]), [['checkout', 0, 1, 10]]);
  assert.ok(targets.SamplingTargetDocuments![0]!.ReservoirQuotaTTL! > new Date());
  assert.equal(targets.UnprocessedStatistics![0]!.RuleName, 'nope');
  assert.ok(targets.LastRuleModification instanceof Date);
  await xray.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'Default', FixedRate: 0.1 } }));
  assert.equal((await failure(xray.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'Default', Host: 'x' } })))).name, 'InvalidRequestException');
  assert.equal((await failure(xray.send(new DeleteSamplingRuleCommand({ RuleName: 'Default' })))).name, 'InvalidRequestException');
  await xray.send(new DeleteSamplingRuleCommand({ RuleName: 'checkout' }));
  const after = await xray.send(new GetSamplingRulesCommand({}));
  assert.deepEqual(after.SamplingRuleRecords!.map((r) => [r.SamplingRule!.RuleName, r.SamplingRule!.FixedRate]), [['Default', 0.1]]);
});

test('another account sees none of these traces, groups or rules', async () => {
  const { traceId, docs } = scorekeepTrace();
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  const other = new XRayClient({ ...sdkConfig(server.url), credentials: OTHER });
  try {
    assert.deepEqual((await other.send(new BatchGetTracesCommand({ TraceIds: [traceId] }))).UnprocessedTraceIds, [traceId]);
    assert.deepEqual((await other.send(new GetTraceSummariesCommand(window()))).TraceSummaries, []);
    assert.deepEqual((await other.send(new GetServiceGraphCommand(window()))).Services, []);
    assert.deepEqual((await other.send(new GetSamplingRulesCommand({}))).SamplingRuleRecords!.map((r) => r.SamplingRule!.FixedRate), [0.05]);
  } finally {
    other.destroy();
  }
});
