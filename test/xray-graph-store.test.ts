/**
 * GetServiceGraph aggregated in the telemetry store (store/telemetry/trace-graph.ts) answers exactly
 * what assembling every trace in memory answers (the path groups take): same nodes, edges,
 * statistics and histograms — over the X-Ray guide's Scorekeep trace and traces exercising
 * streamed subsegments, in-progress then complete segments, inferred AWS and remote nodes, a
 * segment called by a segment, orphans, and every status.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateGroupCommand, GetServiceGraphCommand, GetTimeSeriesServiceStatisticsCommand, PutTraceSegmentsCommand, XRayClient, } from '@aws-sdk/client-xray';
import { failure } from './helpers/failure.ts';
import { scorekeepTrace } from './helpers/scorekeep.ts';
import { graphDocs, normalize } from './helpers/xray-graph-docs.ts';
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

const now = Math.floor(Date.now() / 1000) - 60;
const { streamed, edges } = graphDocs(now);

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
