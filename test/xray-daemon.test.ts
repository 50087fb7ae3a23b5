/**
 * The built-in X-Ray daemon with a real instrumented app (aws-xray-sdk-core 3.12, unchanged, with
 * AWS_XRAY_DAEMON_ADDRESS): the SDK's sampling calls over TCP and its segments over UDP, found
 * again through the X-Ray API.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createSocket } from 'node:dgram';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { BatchGetTracesCommand, CreateSamplingRuleCommand, GetServiceGraphCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { ROOT, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const run = promisify(execFile);
let server: TestServer;
let xray: XRayClient;
let ports: { udpPort: number; tcpPort: number };

before(async () => {
  server = await startTestServer({ modules: ['xray'] });
  xray = new XRayClient(sdkConfig(server.url));
  ports = await until('the daemon logged its ports', () => {
    for (const line of server.logs) {
      const rec = JSON.parse(line.startsWith('{') ? line : '{}') as { msg?: string; udpPort?: number; tcpPort?: number };
      if (rec.msg === 'x-ray daemon listening') return { udpPort: rec.udpPort!, tcpPort: rec.tcpPort! };
    }
    return undefined;
  }, 10_000);
});
after(async () => {
  xray?.destroy();
  await server?.stop();
  server?.cleanup();
});

const window = () => ({ StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000) });

test('an app using aws-xray-sdk-core samples through the daemon and its segments reach the API', async () => {
  const { stdout } = await run(process.execPath, [`${ROOT}/test/clients/xray-sdk-app.cjs`], {
    cwd: ROOT, env: { ...process.env, AWS_XRAY_DAEMON_ADDRESS: `udp:127.0.0.1:${ports.udpPort} tcp:127.0.0.1:${ports.tcpPort}` },
  });
  const app = JSON.parse(stdout.trim().split('\n').pop()!) as { traceId: string; rules: string[]; targets: string[]; freshness: number };
  assert.deepEqual(app.rules, ['Default'], 'the SDK accepted the Default rule');
  assert.equal(typeof app.freshness, 'number');
  const ids = await until('the segment was stored', async () => {
    const out = await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'service("checkout") AND annotation.order = "o-1"' }));
    const found = out.TraceSummaries!.map((s) => s.Id);
    return found.includes(app.traceId) ? found : undefined;
  }, 10_000);
  assert.ok(ids.includes(app.traceId));
  const trace = (await xray.send(new BatchGetTracesCommand({ TraceIds: [app.traceId] }))).Traces![0]!;
  const docs = trace.Segments!.map((s) => JSON.parse(s.Document!) as Record<string, unknown>);
  assert.deepEqual(docs.map((d) => [d.name, d.inferred ?? false, d.origin ?? null]).sort(), [['127.0.0.1', true, 'remote'], ['checkout', false, null]]);
  const graph = await xray.send(new GetServiceGraphCommand(window()));
  const checkout = graph.Services!.find((s) => s.Name === 'checkout' && s.Type !== 'client')!;
  assert.deepEqual(checkout.Edges!.map((e) => graph.Services![e.ReferenceId!]!.Name), ['127.0.0.1']);
});

test('datagrams without the daemon header are ignored, not stored', async () => {
  const sock = createSocket('udp4');
  const doc = JSON.stringify({ trace_id: `1-${Math.floor(Date.now() / 1000).toString(16)}-000000000000000000000abc`, id: 'abcdefabcdefabcd', name: 'headerless', start_time: Date.now() / 1000, end_time: Date.now() / 1000 + 0.01 });
  await new Promise<void>((resolve) => sock.send(Buffer.from(doc), ports.udpPort, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => sock.send(Buffer.from(`{"format": "json", "version": 1}\n${doc.replace('headerless', 'with-header')}`), ports.udpPort, '127.0.0.1', () => resolve()));
  sock.close();
  await until('the headed datagram was stored', async () => {
    const out = await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'service("with-header")' }));
    return out.TraceSummaries!.length > 0 ? true : undefined;
  }, 10_000);
  const none = await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'service("headerless")' }));
  assert.deepEqual(none.TraceSummaries, []);
});

test('a rule with a 1/s reservoir and rate 0 lets about one trace per second through from an SDK at 50 req/s', { timeout: 120_000 }, async () => {
  await xray.send(new CreateSamplingRuleCommand({
    SamplingRule: { RuleName: 'one-per-second', ResourceARN: '*', Priority: 1, FixedRate: 0, ReservoirSize: 1, ServiceName: 'sampled-app', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1 },
  }));
  const seconds = 15;
  const started = Date.now();
  const { stdout } = await run(process.execPath, [`${ROOT}/test/clients/xray-sampled-app.cjs`, String(seconds), '50'], {
    cwd: ROOT, env: { ...process.env, AWS_XRAY_DAEMON_ADDRESS: `udp:127.0.0.1:${ports.udpPort} tcp:127.0.0.1:${ports.tcpPort}` },
  });
  const { sent } = JSON.parse(stdout.trim().split('\n').pop()!) as { sent: number };
  await new Promise((r) => setTimeout(r, 500));
  let sampled = 0;
  let NextToken: string | undefined;
  do {
    const page = await xray.send(new GetTraceSummariesCommand({ StartTime: new Date(started - 5_000), EndTime: new Date(Date.now() + 5_000), FilterExpression: 'service("sampled-app")', NextToken }));
    sampled += page.TraceSummaries!.length;
    NextToken = page.NextToken;
  } while (NextToken);
  const perSecond = sampled / seconds;
  console.log(`sampling: ${sampled} of ${sent} requests traced over ${seconds} s = ${perSecond.toFixed(2)}/s`);
  assert.ok(sent > 40 * seconds, `the app served ${sent} requests`);
  // The SDK borrows 1/s until its first targets (~10 s) and then uses its quota of 1/s; a few more
  // may pass before the rules arrive (the local default rule, 1/s + 5 %).
  assert.ok(perSecond >= 0.6 && perSecond <= 1.8, `${perSecond.toFixed(2)} traces/s`);
});

test('Express apps with aws-xray-sdk-express and captureHTTPsGlobal: checkout → payments traced end to end', { timeout: 60_000 }, async () => {
  const env = { ...process.env, AWS_XRAY_DAEMON_ADDRESS: `udp:127.0.0.1:${ports.udpPort} tcp:127.0.0.1:${ports.tcpPort}` };
  const payments = spawn(process.execPath, [`${ROOT}/test/clients/xray-express-app.cjs`, 'payments'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const { port } = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: payments.stdout! }).once('line', resolve))) as { port: number };
    await run(process.execPath, [`${ROOT}/test/clients/xray-express-app.cjs`, 'checkout', String(port)], { cwd: ROOT, env });
  } finally {
    payments.kill();
  }
  const found = await until('the three traces are stored', async () => {
    const out = await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'service("checkout") AND responsetime > 0.2 AND edge("checkout", "payments")' }));
    return out.TraceSummaries!.length >= 3 ? out.TraceSummaries! : undefined;
  }, 15_000);
  const trace = (await xray.send(new BatchGetTracesCommand({ TraceIds: [found[0]!.Id!] }))).Traces![0]!;
  const docs = trace.Segments!.map((s) => JSON.parse(s.Document!) as Record<string, unknown>);
  assert.deepEqual(docs.map((d) => d.name).sort(), ['checkout', 'payments']);
  const checkout = docs.find((d) => d.name === 'checkout')!;
  assert.equal((checkout.http as Record<string, Record<string, unknown>>).request!.method, 'GET');
  const graph = await xray.send(new GetServiceGraphCommand(window()));
  const node = graph.Services!.find((s) => s.Name === 'checkout' && s.Type !== 'client')!;
  assert.ok(node.Edges!.some((e) => graph.Services![e.ReferenceId!]!.Name === 'payments'));
});
