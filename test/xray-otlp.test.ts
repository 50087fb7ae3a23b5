/**
 * OTLP/HTTP trace export into X-Ray with the real OpenTelemetry JS SDK (BasicTracerProvider +
 * OTLPTraceExporter, protobuf): two services' spans become segments, an inferred DynamoDB node and
 * graph edges; OTLP/JSON with gzip; SigV4 required unless the server allows unsigned OTLP.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { BatchGetTracesCommand, GetServiceGraphCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';

let open: TestServer;
let signed: TestServer;
let xray: XRayClient;

before(async () => {
  [open, signed] = await Promise.all([
    startTestServer({ modules: ['xray'], env: { OSPREY_OTLP_UNSIGNED: 'true' } }),
    startTestServer({ modules: ['xray'] }),
  ]);
  xray = new XRayClient(sdkConfig(open.url));
});
after(async () => {
  xray?.destroy();
  for (const s of [open, signed]) {
    await s?.stop();
    s?.cleanup();
  }
});

const window = () => ({ StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000) });

function provider(url: string, service: string): BasicTracerProvider {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'cloud.provider': 'aws', 'cloud.platform': 'aws_ec2' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${url}/v1/traces` }))],
  });
}

test('spans from the OpenTelemetry SDK (OTLP protobuf) become an X-Ray trace with a service graph', async () => {
  const checkout = provider(open.url, 'checkout');
  const payments = provider(open.url, 'payments');
  const server = checkout.getTracer('shop').startSpan('POST /checkout', {
    kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.full': 'http://shop.local/checkout', 'http.response.status_code': 200, 'enduser.id': 'alice' },
  });
  const inServer = trace.setSpan(context.active(), server);
  const call = checkout.getTracer('shop').startSpan('POST', {
    kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'url.full': 'http://payments.local/pay', 'server.address': 'payments.local', 'http.response.status_code': 500 },
  }, inServer);
  const remote = payments.getTracer('pay').startSpan('POST /pay', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.response.status_code': 500 } }, trace.setSpan(context.active(), call));
  remote.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  remote.end();
  call.end();
  const db = checkout.getTracer('shop').startSpan('DynamoDB.PutItem', {
    kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'aws-api', 'rpc.service': 'DynamoDB', 'rpc.method': 'PutItem', 'aws.dynamodb.table_names': ['orders'] },
  }, inServer);
  db.end();
  await new Promise((r) => setTimeout(r, 250));
  server.end();
  await Promise.all([checkout.forceFlush(), payments.forceFlush()]);
  await Promise.all([checkout.shutdown(), payments.shutdown()]);

  const w3c = server.spanContext().traceId;
  const traceId = `1-${w3c.slice(0, 8)}-${w3c.slice(8)}`;
  const out = await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'service("checkout") AND responsetime > 0.2 AND edge("checkout", "payments") { fault }' }));
  assert.deepEqual(out.TraceSummaries!.map((s) => s.Id), [traceId]);
  assert.deepEqual(out.TraceSummaries![0]!.Users, [{ UserName: 'alice', ServiceIds: [{ Name: 'checkout', Names: ['checkout'], Type: 'AWS::EC2::Instance' }] }]);
  const docs = (await xray.send(new BatchGetTracesCommand({ TraceIds: [traceId] }))).Traces![0]!.Segments!.map((s) => JSON.parse(s.Document!) as Record<string, unknown>);
  assert.deepEqual(docs.map((d) => [d.name, d.inferred ?? false]).sort(), [['DynamoDB', true], ['checkout', false], ['payments', false]]);
  const graph = await xray.send(new GetServiceGraphCommand(window()));
  const edges = graph.Services!.flatMap((s) => (s.Edges ?? []).map((e) => `${s.Name}|${s.Type} → ${graph.Services![e.ReferenceId!]!.Name}`)).sort();
  assert.deepEqual(edges, ['checkout|AWS::EC2::Instance → orders', 'checkout|AWS::EC2::Instance → payments', 'checkout|client → checkout']);
});

const spanJson = (traceId: string) => ({
  resourceSpans: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-svc' } }] },
    scopeSpans: [{ spans: [{
      traceId, spanId: randomBytes(8).toString('hex'), name: 'GET /', kind: 2,
      startTimeUnixNano: String(BigInt(Date.now() - 100) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
      attributes: [{ key: 'http.request.method', value: { stringValue: 'GET' } }, { key: 'http.response.status_code', value: { intValue: '404' } }],
    }] }],
  }],
});

test('OTLP/JSON with gzip is accepted; malformed bodies get 400 and unknown content types 415', async () => {
  const traceId = randomBytes(16).toString('hex');
  const res = await fetch(`${open.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify(spanJson(traceId))) });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {});
  const found = await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'service("json-svc") AND http.status = 404 AND error' }));
  assert.deepEqual(found.TraceSummaries!.map((s) => s.Id), [`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`]);
  const bad = await fetch(`${open.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from([0x0a, 0xff, 0xff]) });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /not a valid OTLP ExportTraceServiceRequest \(protobuf\)/);
  const zeroId = await fetch(`${open.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spanJson('0'.repeat(32))) });
  assert.equal(zeroId.status, 400);
  assert.equal((await fetch(`${open.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status, 415);
});

test('by default OTLP needs SigV4 (signing name xray), as AWS\'s endpoint does', async () => {
  const body = JSON.stringify(spanJson(randomBytes(16).toString('hex')));
  const unsigned = await fetch(`${signed.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(unsigned.status, 403);
  const url = new URL(`${signed.url}/v1/traces`);
  const signer = new SignatureV4({ service: 'xray', region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
  const req = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'content-type': 'application/json' }, body });
  const ok = await fetch(url, { method: 'POST', headers: req.headers, body });
  assert.equal(ok.status, 200);
  const eu = new XRayClient(sdkConfig(signed.url, 'eu-west-1'));
  try {
    assert.equal((await eu.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'service("json-svc")' }))).TraceSummaries!.length, 1, 'stored in the signer\'s region');
  } finally {
    eu.destroy();
  }
});
