/**
 * X-Ray's account-level APIs with the SDK v3 client: resource policies (revisions, limits, bad
 * documents), the daemon's PutTelemetryRecords, sampling statistics reported with
 * GetSamplingTargets and read back with GetSamplingStatisticSummaries, trace retrieval in both
 * formats with its graph, and the segment destination / indexing rules Osprey offers. Another
 * account sees none of it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  CancelTraceRetrievalCommand, CreateSamplingRuleCommand, DeleteResourcePolicyCommand, GetIndexingRulesCommand, GetRetrievedTracesGraphCommand,
  GetSamplingStatisticSummariesCommand, GetSamplingTargetsCommand, GetTraceSegmentDestinationCommand, ListResourcePoliciesCommand,
  ListRetrievedTracesCommand, PutResourcePolicyCommand, PutTelemetryRecordsCommand, PutTraceSegmentsCommand, StartTraceRetrievalCommand,
  UpdateIndexingRuleCommand, UpdateTraceSegmentDestinationCommand, XRayClient,
} from '@aws-sdk/client-xray';
import { OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { failure } from './helpers/failure.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import type { OtelSpan } from '../src/services/xray/traces/otel-spans.ts';

let server: TestServer;
let xray: XRayClient;
let other: XRayClient;

before(async () => {
  server = await startTestServer({ modules: ['xray'], env: { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS } });
  xray = new XRayClient(sdkConfig(server.url));
  other = new XRayClient({ ...sdkConfig(server.url), credentials: OTHER });
});
after(async () => {
  xray?.destroy();
  other?.destroy();
  await server?.stop();
  server?.cleanup();
});

const policy = (sid: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: sid, Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['xray:PutTraceSegments', 'xray:GetSamplingRules'], Resource: '*' }],
});

test('resource policies: revisions count up, conditional writes, five per account, 5 KB, bad documents', async () => {
  const created = (await xray.send(new PutResourcePolicyCommand({ PolicyName: 'sns-tracing', PolicyDocument: policy('a'), PolicyRevisionId: '0' }))).ResourcePolicy!;
  assert.equal(created.PolicyRevisionId, '1');
  assert.ok(created.LastUpdatedTime instanceof Date);
  const again = await failure(xray.send(new PutResourcePolicyCommand({ PolicyName: 'sns-tracing', PolicyDocument: policy('a'), PolicyRevisionId: '0' })));
  assert.equal(again.name, 'InvalidPolicyRevisionIdException');
  const updated = (await xray.send(new PutResourcePolicyCommand({ PolicyName: 'sns-tracing', PolicyDocument: policy('b'), PolicyRevisionId: '1' }))).ResourcePolicy!;
  assert.equal(updated.PolicyRevisionId, '2');
  const stale = await failure(xray.send(new PutResourcePolicyCommand({ PolicyName: 'sns-tracing', PolicyDocument: policy('c'), PolicyRevisionId: '1' })));
  assert.equal(stale.name, 'InvalidPolicyRevisionIdException');
  assert.equal(stale.status, 400);

  assert.equal((await failure(xray.send(new PutResourcePolicyCommand({ PolicyName: 'bad', PolicyDocument: '{"Statement": [{"Effect": "Maybe"}]}' })))).name, 'MalformedPolicyDocumentException');
  assert.equal((await failure(xray.send(new PutResourcePolicyCommand({ PolicyName: 'bad', PolicyDocument: 'not json' })))).name, 'MalformedPolicyDocumentException');
  const big = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'xray:*', Resource: '*', Sid: 'x'.repeat(5200) }] });
  assert.equal((await failure(xray.send(new PutResourcePolicyCommand({ PolicyName: 'big', PolicyDocument: big })))).name, 'PolicySizeLimitExceededException');

  for (let i = 2; i <= 5; i++) await xray.send(new PutResourcePolicyCommand({ PolicyName: `p${i}`, PolicyDocument: policy(`s${i}`) }));
  const sixth = await failure(xray.send(new PutResourcePolicyCommand({ PolicyName: 'p6', PolicyDocument: policy('s6') })));
  assert.equal(sixth.name, 'PolicyCountLimitExceededException');
  const listed = (await xray.send(new ListResourcePoliciesCommand({}))).ResourcePolicies!;
  assert.deepEqual(listed.map((p) => p.PolicyName), ['p2', 'p3', 'p4', 'p5', 'sns-tracing']);
  assert.equal(listed.at(-1)!.PolicyDocument, policy('b'));

  assert.deepEqual((await other.send(new ListResourcePoliciesCommand({}))).ResourcePolicies, [], 'another account sees none');
  await other.send(new DeleteResourcePolicyCommand({ PolicyName: 'sns-tracing' }));
  assert.equal((await xray.send(new ListResourcePoliciesCommand({}))).ResourcePolicies!.length, 5, "another account's delete touches nothing here");

  assert.equal((await failure(xray.send(new DeleteResourcePolicyCommand({ PolicyName: 'sns-tracing', PolicyRevisionId: '1' })))).name, 'InvalidPolicyRevisionIdException');
  await xray.send(new DeleteResourcePolicyCommand({ PolicyName: 'sns-tracing', PolicyRevisionId: '2' }));
  await xray.send(new DeleteResourcePolicyCommand({ PolicyName: 'p2' }));
  assert.deepEqual((await xray.send(new ListResourcePoliciesCommand({}))).ResourcePolicies!.map((p) => p.PolicyName), ['p3', 'p4', 'p5']);
});

test('PutTelemetryRecords takes what the daemon reports and refuses bad counts', async () => {
  await xray.send(new PutTelemetryRecordsCommand({
    Hostname: 'web-1', EC2InstanceId: 'i-0123456789abcdef0',
    TelemetryRecords: [{ Timestamp: new Date(), SegmentsReceivedCount: 120, SegmentsSentCount: 118, SegmentsSpilloverCount: 0, SegmentsRejectedCount: 2,
      BackendConnectionErrors: { TimeoutCount: 1, ConnectionRefusedCount: 0, HTTPCode4XXCount: 0, HTTPCode5XXCount: 0, UnknownHostCount: 0, OtherCount: 0 } }],
  }));
  const bad = await failure(xray.send(new PutTelemetryRecordsCommand({ TelemetryRecords: [{ Timestamp: new Date(), SegmentsSentCount: -3 }] })));
  assert.equal(bad.name, 'InvalidRequestException');
  assert.match(bad.message, /SegmentsSentCount/);
});

test('GetSamplingStatisticSummaries adds up what every SDK reported per rule and 10 s window', async () => {
  const rule = { RuleName: 'checkout', ResourceARN: '*', Priority: 10, FixedRate: 0.05, ReservoirSize: 2, ServiceName: 'checkout', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1 };
  await xray.send(new CreateSamplingRuleCommand({ SamplingRule: rule }));
  const at = new Date(Math.floor(Date.now() / 10_000) * 10_000 + 3_000);
  for (const [client, requests, sampled, borrowed] of [['a'.repeat(24), 40, 3, 1], ['b'.repeat(24), 10, 1, 0]] as const) {
    await xray.send(new GetSamplingTargetsCommand({ SamplingStatisticsDocuments: [{ RuleName: 'checkout', ClientID: client, Timestamp: at, RequestCount: requests, SampledCount: sampled, BorrowCount: borrowed }] }));
  }
  const summaries = (await xray.send(new GetSamplingStatisticSummariesCommand({}))).SamplingStatisticSummaries!;
  const mine = summaries.filter((s) => s.RuleName === 'checkout');
  assert.equal(mine.length, 1);
  assert.deepEqual({ ...mine[0], Timestamp: mine[0]!.Timestamp!.getTime() }, {
    RuleName: 'checkout', Timestamp: at.getTime() - 3_000, RequestCount: 50, SampledCount: 4, BorrowCount: 1,
  });
  assert.deepEqual((await other.send(new GetSamplingStatisticSummariesCommand({}))).SamplingStatisticSummaries, []);
});

function trace(): { traceId: string; docs: string[] } {
  const now = Date.now() / 1000;
  const traceId = `1-${Math.floor(now).toString(16)}-${randomBytes(12).toString('hex')}`;
  const front = randomBytes(8).toString('hex');
  const call = randomBytes(8).toString('hex');
  const api = {
    trace_id: traceId, id: front, name: 'storefront', start_time: now - 0.5, end_time: now, http: { request: { method: 'GET', url: 'http://shop/cart' }, response: { status: 200 } },
    annotations: { tenant: 'acme' },
    subsegments: [{ id: call, name: 'payments', namespace: 'remote', start_time: now - 0.4, end_time: now - 0.1, http: { request: { method: 'POST', url: 'http://payments/charge' }, response: { status: 502 } }, fault: true }],
  };
  const payments = { trace_id: traceId, id: randomBytes(8).toString('hex'), parent_id: call, name: 'payments', start_time: now - 0.38, end_time: now - 0.12, fault: true };
  return { traceId, docs: [JSON.stringify(api), JSON.stringify(payments)] };
}

test('trace retrieval: XRAY and OTEL formats, the graph, cancelling, tokens of another account', async () => {
  const a = trace();
  const b = trace();
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [...a.docs, ...b.docs] }));
  const range = { StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000) };
  const w3c = a.traceId.slice(2).replace('-', '');
  const { RetrievalToken } = await xray.send(new StartTraceRetrievalCommand({ TraceIds: [w3c, b.traceId], ...range }));
  assert.ok(RetrievalToken);

  const xrayFormat = await xray.send(new ListRetrievedTracesCommand({ RetrievalToken }));
  assert.equal(xrayFormat.RetrievalStatus, 'COMPLETE');
  assert.equal(xrayFormat.TraceFormat, 'XRAY');
  assert.deepEqual(xrayFormat.Traces!.map((t) => t.Id), [a.traceId, b.traceId]);
  const docs = xrayFormat.Traces![0]!.Spans!.map((s) => JSON.parse(s.Document!) as { name: string; subsegments?: unknown[] });
  assert.deepEqual(docs.map((d) => d.name).sort(), ['payments', 'storefront']);

  const otel = await xray.send(new ListRetrievedTracesCommand({ RetrievalToken, TraceFormat: 'OTEL' }));
  const spans = otel.Traces![0]!.Spans!.map((s) => JSON.parse(s.Document!) as OtelSpan);
  const root = spans.find((s) => s.name === 'storefront')!;
  assert.equal(root.traceId, w3c);
  assert.equal(root.kind, 'SERVER');
  assert.equal(root.parentSpanId, '');
  assert.equal(root.attributes['http.request.method'], 'GET');
  assert.equal(root.attributes.tenant, 'acme');
  assert.equal(root.resource.attributes['service.name'], 'storefront');
  const client = spans.find((s) => s.kind === 'CLIENT')!;
  assert.equal(client.parentSpanId, root.spanId);
  assert.equal(client.status.code, 'ERROR');
  assert.equal(client.attributes['http.response.status_code'], 502);
  assert.equal(Number(BigInt(client.endTimeUnixNano!) - BigInt(client.startTimeUnixNano)), client.durationNano);

  const graph = await xray.send(new GetRetrievedTracesGraphCommand({ RetrievalToken }));
  const front = graph.Services!.find((s) => s.Service?.Name === 'storefront')!.Service!;
  const pay = graph.Services!.find((s) => s.Service?.Name === 'payments')!.Service!;
  assert.equal(front.Edges![0]!.ReferenceId, pay.ReferenceId);
  assert.equal(pay.SummaryStatistics!.TotalCount, 2);

  const notYours = await failure(other.send(new ListRetrievedTracesCommand({ RetrievalToken })));
  assert.equal(notYours.name, 'ResourceNotFoundException');
  assert.equal(notYours.status, 404);
  assert.equal((await failure(xray.send(new StartTraceRetrievalCommand({ TraceIds: ['nope'], ...range })))).name, 'InvalidRequestException');
  assert.equal((await failure(xray.send(new StartTraceRetrievalCommand({ TraceIds: [a.traceId], StartTime: range.EndTime, EndTime: range.StartTime })))).name, 'InvalidRequestException');

  await xray.send(new CancelTraceRetrievalCommand({ RetrievalToken }));
  const cancelled = await xray.send(new ListRetrievedTracesCommand({ RetrievalToken }));
  assert.equal(cancelled.RetrievalStatus, 'CANCELLED');
  assert.deepEqual(cancelled.Traces, []);
});

test('segment destination and indexing rules: X-Ray storage, every trace indexed; Transaction Search refused', async () => {
  assert.deepEqual(await pick(xray.send(new GetTraceSegmentDestinationCommand({}))), { Destination: 'XRay', Status: 'ACTIVE' });
  assert.deepEqual(await pick(xray.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'XRay' }))), { Destination: 'XRay', Status: 'ACTIVE' });
  const logs = await failure(xray.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'CloudWatchLogs' })));
  assert.equal(logs.name, 'InvalidRequestException');
  assert.match(logs.message, /Transaction Search/);
  const rules = (await xray.send(new GetIndexingRulesCommand({}))).IndexingRules!;
  assert.deepEqual(rules, [{ Name: 'Default', Rule: { Probabilistic: { DesiredSamplingPercentage: 100, ActualSamplingPercentage: 100 } } }]);
  assert.equal((await failure(xray.send(new UpdateIndexingRuleCommand({ Name: 'Default', Rule: { Probabilistic: { DesiredSamplingPercentage: 5 } } })))).name, 'InvalidRequestException');
  assert.equal((await failure(xray.send(new UpdateIndexingRuleCommand({ Name: 'Other', Rule: { Probabilistic: { DesiredSamplingPercentage: 100 } } })))).name, 'ResourceNotFoundException');
});

async function pick<T extends { $metadata?: unknown }>(p: Promise<T>): Promise<Omit<T, '$metadata'>> {
  const { $metadata: _, ...rest } = await p;
  return rest;
}
