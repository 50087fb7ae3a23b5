/**
 * GetServiceGraph from settled traces (store/telemetry/trace-graph-settle.ts): once a trace's
 * documents have stopped arriving, its nodes and edges are stored and the graph adds them up. The
 * answer must stay what assembling every trace in memory answers (the path groups take) — before
 * settling, after it, for a trace that receives documents after it was settled, for ranges that cut
 * through traces — and settled rows never cross accounts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CreateGroupCommand, GetServiceGraphCommand, GetTimeSeriesServiceStatisticsCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { scorekeepTrace } from './helpers/scorekeep.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { graphDocs, normalize } from './helpers/xray-graph-docs.ts';

let server: TestServer;
let xray: XRayClient;
let other: XRayClient;

before(async () => {
  server = await startTestServer({
    modules: ['xray'],
    env: { OSPREY_XRAY_GRAPH_SETTLE_SECONDS: '0', OSPREY_LOG_LEVEL: 'debug', OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS },
  });
  xray = new XRayClient(sdkConfig(server.url));
  other = new XRayClient({ ...sdkConfig(server.url), credentials: OTHER });
  await xray.send(new CreateGroupCommand({ GroupName: 'everything', FilterExpression: 'duration >= 0' }));
});
after(async () => {
  xray?.destroy();
  other?.destroy();
  await server?.stop();
  server?.cleanup();
});

const hex = (n: number) => randomBytes(n).toString('hex');
const now = Math.floor(Date.now() / 1000) - 300;

/** Resolves once a settle pass covered every document received up to `at` (epoch ms). */
async function settledPast(at: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const line of server.logs) {
      if (!line.includes('trace graph settled')) continue;
      if ((JSON.parse(line) as { upto: number }).upto >= at) return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`no settle pass reached ${at}`);
}

async function put(client: XRayClient, docs: string[]): Promise<number> {
  const r = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  assert.deepEqual(r.UnprocessedTraceSegments, []);
  return Date.now();
}

async function assertSameGraph(fromS: number, toS: number, what: string): Promise<number> {
  const window = { StartTime: new Date(fromS * 1000), EndTime: new Date(toS * 1000) };
  const stored = (await xray.send(new GetServiceGraphCommand(window))).Services!;
  const assembled = (await xray.send(new GetServiceGraphCommand({ ...window, GroupName: 'everything' }))).Services!;
  assert.deepEqual(normalize(stored), normalize(assembled), what);
  return stored.length;
}

/** checkout at t, payments at t + 55 and shipping at t + 100 (a trace spanning narrower ranges). */
function longTrace(t: number): string[] {
  const trace_id = `1-${t.toString(16)}-${hex(12)}`;
  const root = hex(8);
  const [a, b] = [hex(8), hex(8)];
  return [
    JSON.stringify({ trace_id, id: root, name: 'checkout', origin: 'AWS::EC2::Instance', start_time: t, end_time: t + 101,
      subsegments: [{ id: a, name: 'payments', namespace: 'remote', start_time: t + 54, end_time: t + 56 }, { id: b, name: 'shipping', namespace: 'remote', start_time: t + 99, end_time: t + 101 }] }),
    JSON.stringify({ trace_id, id: hex(8), parent_id: a, name: 'payments', start_time: t + 55, end_time: t + 55.5 }),
    JSON.stringify({ trace_id, id: hex(8), parent_id: b, name: 'shipping', start_time: t + 100, end_time: t + 100.5, error: true }),
  ];
}

test('the graph of settled traces equals the assembled traces, before and after a trace settles again', async () => {
  const { streamed, edges } = graphDocs(now);
  const late = streamed(503);
  const firstAt = await put(xray, [...scorekeepTrace(now).docs, ...streamed(200), ...streamed(404), ...edges(), ...longTrace(now), ...late.slice(0, 2)]);
  const before = await assertSameGraph(now - 600, now + 600, 'before any pass');
  await settledPast(firstAt);
  assert.equal(await assertSameGraph(now - 600, now + 600, 'settled'), before);

  // The rest of a settled trace arrives: it is worked out from its documents until settled again.
  const lateAt = await put(xray, late.slice(2));
  const mixed = await assertSameGraph(now - 600, now + 600, 'a settled trace receiving documents');
  await settledPast(lateAt);
  assert.equal(await assertSameGraph(now - 600, now + 600, 'settled again'), mixed);

  // Ranges through the long trace: one holding its payments segment only, one holding none of it,
  // one holding its start only.
  assert.ok(await assertSameGraph(now + 50, now + 60, 'range inside the long trace holding a segment') >= 2);
  assert.equal(await assertSameGraph(now + 10, now + 20, 'range inside the long trace holding none'), 0);
  await assertSameGraph(now - 10, now + 1, 'range holding starts');

  const window = { StartTime: new Date((now - 600) * 1000), EndTime: new Date((now + 600) * 1000), Period: 60 };
  const series = async (GroupName?: string) => (await xray.send(new GetTimeSeriesServiceStatisticsCommand({ ...window, EntitySelectorExpression: 'service("checkout")', GroupName }))).TimeSeriesServiceStatistics!;
  assert.deepEqual(await series(), await series('everything'));
});

test('settled rows stay in their account', async () => {
  const t = now + 200;
  const at = await put(other, [JSON.stringify({ trace_id: `1-${t.toString(16)}-${hex(12)}`, id: hex(8), name: 'secret-service', start_time: t, end_time: t + 1 })]);
  await settledPast(at);
  const window = { StartTime: new Date((t - 10) * 1000), EndTime: new Date((t + 10) * 1000) };
  assert.deepEqual((await xray.send(new GetServiceGraphCommand(window))).Services, []);
  const own = (await other.send(new GetServiceGraphCommand(window))).Services!;
  assert.deepEqual(own.map((s) => `${s.Name} ${s.Type}`).sort(), ['secret-service client', 'secret-service undefined']);
});
