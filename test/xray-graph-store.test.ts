/**
 * GetServiceGraph aggregated in the telemetry store (store/telemetry/trace-graph.ts) answers exactly
 * what assembling every trace in memory answers (the path groups take): same nodes, edges,
 * statistics and histograms — over the X-Ray guide's Scorekeep trace and traces exercising
 * streamed subsegments, in-progress then complete segments, inferred AWS and remote nodes, a
 * segment called by a segment, orphans, and every status.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CreateGroupCommand, GetServiceGraphCommand, GetTimeSeriesServiceStatisticsCommand, PutTraceSegmentsCommand, XRayClient, type Service } from '@aws-sdk/client-xray';
import { failure } from './helpers/failure.ts';
import { scorekeepTrace } from './helpers/scorekeep.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';


let server: TestServer;
let xray: XRayClient;

before(async () => {
  server = await startTestServer({ modules: ['xray'] });
  xray = new XRayClient(sdkConfig(server.url));
});
after(async () => {
  xray?.destroy();
  await server?.stop();
  server?.cleanup();
});

const hex = (n: number) => randomBytes(n).toString('hex');
const now = Math.floor(Date.now() / 1000) - 60;
const newTraceId = () => `1-${now.toString(16)}-${hex(12)}`;


/** checkout (in progress, then complete) → streamed subsegment → payments; a streamed DynamoDB call; a 429 remote call. */
function streamed(status: number): string[] {
  const trace_id = newTraceId();
  const root = hex(8);
  const call = hex(8);
  const t = now + Math.random();
  const rootDoc = { trace_id, id: root, name: 'checkout', origin: 'AWS::EC2::Instance', start_time: t, http: { response: { status } } };
  return [
    JSON.stringify({ ...rootDoc, in_progress: true }),
    JSON.stringify({ type: 'subsegment', trace_id, parent_id: root, id: call, name: 'payments', namespace: 'remote', start_time: t + 0.01, end_time: t + 0.2, http: { response: { status: 200 } } }),
    JSON.stringify({ trace_id, id: hex(8), parent_id: call, name: 'payments', start_time: t + 0.02, end_time: t + 0.19, ...(status >= 500 ? { fault: true } : {}) }),
    JSON.stringify({ type: 'subsegment', trace_id, parent_id: root, id: hex(8), name: 'DynamoDB', namespace: 'aws', start_time: t + 0.2, end_time: t + 0.23, aws: { table_name: 'orders', operation: 'PutItem' } }),
    JSON.stringify({ ...rootDoc, end_time: t + 0.3, subsegments: [{ id: hex(8), name: 'rates.example', namespace: 'remote', start_time: t + 0.25, end_time: t + 0.26, http: { response: { status: 429 } } }] }),
  ];
}

/** A Lambda service segment calling its function segment (parent = a segment id), an orphan streamed subsegment, a lone in-progress segment. */
function edges(): string[] {
  const trace_id = newTraceId();
  const svc = hex(8);
  const t = now + 1;
  return [
    JSON.stringify({ trace_id, id: svc, name: 'resize', origin: 'AWS::Lambda', start_time: t, end_time: t + 0.5 }),
    JSON.stringify({ trace_id, id: hex(8), parent_id: svc, name: 'resize', origin: 'AWS::Lambda::Function', start_time: t + 0.01, end_time: t + 0.45, error: true }),
    JSON.stringify({ type: 'subsegment', trace_id, parent_id: hex(8), id: hex(8), name: 'S3', namespace: 'aws', start_time: t + 0.1, end_time: t + 0.2 }),
    JSON.stringify({ trace_id: newTraceId(), id: hex(8), name: 'worker', start_time: t, in_progress: true }),
  ];
}

/** Services with reference ids replaced by node keys, in a stable order. */
function normalize(services: Service[]): unknown[] {
  const key = (s: Service) => `${s.Name}|${s.Type ?? ''}|${s.AccountId ?? ''}`;
  const byRef = new Map(services.map((s) => [s.ReferenceId, key(s)]));
  return [...services].sort((a, b) => key(a).localeCompare(key(b))).map((s) => ({
    ...s, ReferenceId: undefined,
    Edges: (s.Edges ?? []).map((e) => ({ ...e, ReferenceId: byRef.get(e.ReferenceId) })).sort((a, b) => String(a.ReferenceId).localeCompare(String(b.ReferenceId))),
  }));
}

test('the store-aggregated service graph equals the graph of the assembled traces', async () => {
  const docs = [...scorekeepTrace(now).docs, ...scorekeepTrace(now).docs, ...streamed(200), ...streamed(503), ...streamed(404), ...edges()];
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  // A group matching every trace takes the in-memory path.
  await xray.send(new CreateGroupCommand({ GroupName: 'everything', FilterExpression: 'duration >= 0' }));
  const window = { StartTime: new Date((now - 600) * 1000), EndTime: new Date((now + 600) * 1000) };
  const stored = (await xray.send(new GetServiceGraphCommand(window))).Services!;
  const assembled = (await xray.send(new GetServiceGraphCommand({ ...window, GroupName: 'everything' }))).Services!;
  assert.ok(stored.length >= 10, `${stored.length} services`);
  assert.deepEqual(normalize(stored), normalize(assembled));
});

test('GetTimeSeriesServiceStatistics: a service, an edge and the entry requests per period add up to the graph', async () => {
  const window = { StartTime: new Date((now - 600) * 1000), EndTime: new Date((now + 600) * 1000) };
  const graph = (await xray.send(new GetServiceGraphCommand(window))).Services!;
  const checkout = graph.find((s) => s.Name === 'checkout' && s.Type === 'AWS::EC2::Instance')!;
  const payments = graph.findIndex((s) => s.Name === 'payments');
  const series = async (EntitySelectorExpression?: string, GroupName?: string) =>
    (await xray.send(new GetTimeSeriesServiceStatisticsCommand({ ...window, Period: 60, EntitySelectorExpression, GroupName }))).TimeSeriesServiceStatistics!;
  const total = (points: Awaited<ReturnType<typeof series>>, key: 'ServiceSummaryStatistics' | 'EdgeSummaryStatistics') => points.reduce((n, p) => n + (p[key]?.TotalCount ?? 0), 0);

  const service = await series('id(name: "checkout", type: "AWS::EC2::Instance")');
  assert.ok(service.length >= 1 && service.every((p) => p.Timestamp!.getTime() % 60_000 === 0));
  assert.equal(total(service, 'ServiceSummaryStatistics'), checkout.SummaryStatistics!.TotalCount);
  assert.equal(total(await series('edge("checkout", "payments")'), 'EdgeSummaryStatistics'), checkout.Edges!.find((e) => e.ReferenceId === payments)!.SummaryStatistics!.TotalCount);
  const entries = graph.filter((s) => s.Type === 'client').flatMap((s) => s.Edges!).reduce((n, e) => n + e.SummaryStatistics!.TotalCount!, 0);
  assert.equal(total(await series(), 'EdgeSummaryStatistics'), entries);
  // Through a group (traces assembled in memory): the same numbers.
  assert.deepEqual(await series('service("checkout")', 'everything'), await series('service("checkout")'));

  assert.equal((await failure(xray.send(new GetTimeSeriesServiceStatisticsCommand({ ...window, Period: 30 })))).name, 'InvalidRequestException');
  assert.equal((await failure(xray.send(new GetTimeSeriesServiceStatisticsCommand({ ...window, ForecastStatistics: true, EntitySelectorExpression: 'service("checkout")' })))).name, 'InvalidRequestException');
  assert.equal((await failure(xray.send(new GetTimeSeriesServiceStatisticsCommand({ ...window, EntitySelectorExpression: 'fault' })))).name, 'InvalidRequestException');
});
