/**
 * One Node app instrumented with @opentelemetry/sdk-node, exporting all three signals over
 * OTLP/HTTP protobuf to Osprey: spans land in X-Ray, log records in the log group named by the
 * x-aws-log-group / x-aws-log-stream headers, metrics in CloudWatch (namespace from
 * service.namespace/service.name, attributes as dimensions, counters as increases, histograms with
 * exact statistics and bucket percentiles). Then the endpoints' refusals, partial successes, SigV4
 * and account/region isolation.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { context, metrics, trace } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';

let open: TestServer;
let signed: TestServer;
let cw: CloudWatchClient;
let cwl: CloudWatchLogsClient;

before(async () => {
  [open, signed] = await Promise.all([
    startTestServer({ modules: ['logs', 'cloudwatch', 'xray'], env: { OSPREY_OTLP_UNSIGNED: 'true' } }),
    startTestServer({ modules: ['logs', 'cloudwatch'] }),
  ]);
  cw = new CloudWatchClient(sdkConfig(open.url));
  cwl = new CloudWatchLogsClient(sdkConfig(open.url));
});
after(async () => {
  cw?.destroy();
  cwl?.destroy();
  for (const s of [open, signed]) {
    await s?.stop();
    s?.cleanup();
  }
});

const window = () => ({ StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000) });

async function stats(client: CloudWatchClient, namespace: string, name: string, dims: Record<string, string>, statNames: string[]): Promise<Record<string, number | undefined>> {
  const queries: MetricDataQuery[] = statNames.map((stat, i) => ({
    Id: `m${i}`, MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) }, Period: 3600, Stat: stat },
  }));
  const out = await client.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000), EndTime: new Date(Date.now() + 3_600_000) }));
  const sums = out.MetricDataResults!.map((r) => (r.Values!.length ? r.Values!.reduce((a, b) => a + b, 0) : undefined));
  return Object.fromEntries(statNames.map((s, i) => [s, sums[i]]));
}

test('an app with @opentelemetry/sdk-node sends spans, logs and metrics that X-Ray, CloudWatch Logs and CloudWatch read back', async () => {
  const group = '/otel/checkout';
  await cwl.send(new CreateLogGroupCommand({ logGroupName: group }));
  await cwl.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'app' }));
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.namespace': 'shop' }),
    autoDetectResources: false,
    instrumentations: [],
    traceExporter: new OTLPTraceExporter({ url: `${open.url}/v1/traces` }),
    logRecordProcessors: [new SimpleLogRecordProcessor(new OTLPLogExporter({ url: `${open.url}/v1/logs`, headers: { 'x-aws-log-group': group, 'x-aws-log-stream': 'app' } }))],
    metricReaders: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${open.url}/v1/metrics` }), exportIntervalMillis: 3_600_000 })],
  });
  sdk.start();
  let traceId: string;
  try {
    const meter = metrics.getMeter('shop');
    const orders = meter.createCounter('orders', { unit: '{orders}' });
    const latency = meter.createHistogram('checkout.duration', { unit: 'ms' });
    const logger = logs.getLogger('shop');
    const span = trace.getTracer('shop').startSpan('POST /checkout');
    traceId = span.spanContext().traceId;
    context.with(trace.setSpan(context.active(), span), () => {
      logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'checkout started', attributes: { 'user.id': 'alice' } });
      logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'card declined', attributes: { 'order.id': 42 } });
    });
    orders.add(5, { route: '/pay' });
    for (const ms of [12, 48, 95, 730]) latency.record(ms, { route: '/pay' });
    // A first export (cumulative, as the SDK's default), then more of the same counter.
    await (metrics.getMeterProvider() as MeterProvider).forceFlush();
    orders.add(3, { route: '/pay' });
    span.end();
  } finally {
    await sdk.shutdown();
  }

  const events = (await cwl.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'app', startFromHead: true }))).events!;
  const docs = events.map((e) => JSON.parse(e.message!) as Record<string, unknown>);
  assert.deepEqual(docs.map((d) => [d.body, d.severityText, d.traceId]), [['checkout started', 'INFO', traceId], ['card declined', 'ERROR', traceId]]);
  assert.deepEqual(docs[0]!.attributes, { 'user.id': 'alice' });
  assert.deepEqual((docs[0]!.resource as { attributes: Record<string, unknown> }).attributes, { 'service.name': 'checkout', 'service.namespace': 'shop' });
  const errors = await cwl.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.severityText = "ERROR" && $.severityNumber >= 17 }' }));
  assert.deepEqual(errors.events!.map((e) => (JSON.parse(e.message!) as { body: string }).body), ['card declined']);

  // Cumulative counter exports of 5 and then 8: stored as 5 and 3.
  assert.deepEqual(await stats(cw, 'shop/checkout', 'orders', { route: '/pay' }, ['Sum', 'SampleCount']), { Sum: 8, SampleCount: 2 });
  const h = await stats(cw, 'shop/checkout', 'checkout.duration', { route: '/pay' }, ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'p50']);
  assert.deepEqual([h.SampleCount, h.Sum, h.Minimum, h.Maximum], [4, 885, 12, 730], 'exact from the first (cumulative) export');
  // The SDK's default buckets: 48 and 95 fall in (25, 50] and (75, 100]; p50 is in between.
  assert.ok(h.p50! >= 37.5 && h.p50! <= 87.5, `p50 ${h.p50}`);
  const listed = await cw.send(new ListMetricsCommand({ Namespace: 'shop/checkout' }));
  assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(), ['checkout.duration', 'orders']);

  const xray = new XRayClient(sdkConfig(open.url));
  try {
    const found = await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'service("checkout")' }));
    assert.deepEqual(found.TraceSummaries!.map((s) => s.Id), [`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`]);
  } finally {
    xray.destroy();
  }
});

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const logsBody = (records: object[]) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] });

test('/v1/logs: destination headers required, the log group must exist, out-of-window records are a partial success', async () => {
  await cwl.send(new CreateLogGroupCommand({ logGroupName: 'otlp-edge' }));
  await cwl.send(new CreateLogStreamCommand({ logGroupName: 'otlp-edge', logStreamName: 's' }));
  const missing = await post(open.url, '/v1/logs', logsBody([{ body: { stringValue: 'x' } }]));
  assert.equal(missing.status, 400);
  assert.match(((await missing.json()) as { message: string }).message, /x-aws-log-group header is required/);
  const unknown = await post(open.url, '/v1/logs', logsBody([{ body: { stringValue: 'x' } }]), { 'x-aws-log-group': 'nope', 'x-aws-log-stream': 's' });
  assert.equal(unknown.status, 400);
  assert.deepEqual(await unknown.json(), { code: 3, message: 'ResourceNotFoundException: The specified log group does not exist.' });
  const now = BigInt(Date.now()) * 1_000_000n;
  const old = now - 15n * 86_400_000_000_000n;
  const res = await post(open.url, '/v1/logs', logsBody([{ timeUnixNano: String(old), body: { stringValue: 'too old' } }, { timeUnixNano: String(now), body: { stringValue: 'fine' } }]), { 'x-aws-log-group': 'otlp-edge', 'x-aws-log-stream': 's' });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { partialSuccess: { rejectedLogRecords: 1, errorMessage: '{"tooOldLogEventCount":1,"tooNewLogEventCount":0,"expiredLogEventCount":0}' } });
  const stored = await cwl.send(new GetLogEventsCommand({ logGroupName: 'otlp-edge', logStreamName: 's' }));
  assert.deepEqual(stored.events!.map((e) => (JSON.parse(e.message!) as { body: string }).body), ['fine']);
  // Without the headers, the resource's semantic-convention attributes name the destination.
  const byResource = await post(open.url, '/v1/logs', { resourceLogs: [{ resource: { attributes: [
    { key: 'aws.log.group.names', value: { arrayValue: { values: [{ stringValue: 'otlp-edge' }] } } }, { key: 'aws.log.stream.names', value: { arrayValue: { values: [{ stringValue: 's' }] } } },
  ] }, scopeLogs: [{ logRecords: [{ body: { stringValue: 'via resource' } }] }] }] });
  assert.equal(byResource.status, 200);
});

test('/v1/metrics: refused data points are a partial success; bad bodies get 400', async () => {
  const t = String(BigInt(Date.now()) * 1_000_000n);
  const res = await post(open.url, '/v1/metrics', { resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'edge' } }] }, scopeMetrics: [{ metrics: [
    { name: 'ok', gauge: { dataPoints: [{ timeUnixNano: t, asDouble: 1.5 }] } },
    { name: 'quantiles', summary: { dataPoints: [{ timeUnixNano: t, count: '1', sum: 2 }] } },
  ] }] }] });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { partialSuccess: { rejectedDataPoints: 1, errorMessage: '1 × summary data points are not stored (CloudWatch cannot store precomputed quantiles; export a histogram)' } });
  assert.deepEqual(await stats(cw, 'edge', 'ok', {}, ['Maximum']), { Maximum: 1.5 });
  const bad = await post(open.url, '/v1/metrics', { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [{ count: '1', bucketCounts: ['1'], explicitBounds: [1] }] } }] }] }] });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { message: string }).message, /needs bounds \+ 1/);
});

async function signedPost(url: string, path: string, service: string, region: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  const u = new URL(`${url}${path}`);
  const signer = new SignatureV4({ service, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
  const req = await signer.sign({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: u.pathname, headers: { host: u.host, 'content-type': 'application/json', ...headers }, body });
  return fetch(u, { method: 'POST', headers: req.headers, body });
}

test('by default /v1/logs and /v1/metrics need SigV4; data lands in the signer\'s region and no other', async () => {
  const body = JSON.stringify({ resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'signed' } }] }, scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), asInt: '7' }] } }] }] }] });
  assert.equal((await fetch(`${signed.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, 403);
  assert.equal((await signedPost(signed.url, '/v1/metrics', 'monitoring', 'eu-west-1', body)).status, 200);
  const [eu, us] = [new CloudWatchClient(sdkConfig(signed.url, 'eu-west-1')), new CloudWatchClient(sdkConfig(signed.url, 'us-east-1'))];
  const euLogs = new CloudWatchLogsClient(sdkConfig(signed.url, 'eu-west-1'));
  try {
    assert.deepEqual(await stats(eu, 'signed', 'g', {}, ['Maximum']), { Maximum: 7 });
    assert.deepEqual(await stats(us, 'signed', 'g', {}, ['Maximum']), { Maximum: undefined });
    await euLogs.send(new CreateLogGroupCommand({ logGroupName: 'eu-only' }));
    await euLogs.send(new CreateLogStreamCommand({ logGroupName: 'eu-only', logStreamName: 's' }));
    const logBody = JSON.stringify(logsBody([{ body: { stringValue: 'hello' } }]));
    const dest = { 'x-aws-log-group': 'eu-only', 'x-aws-log-stream': 's' };
    assert.equal((await fetch(`${signed.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json', ...dest }, body: logBody })).status, 403);
    assert.equal((await signedPost(signed.url, '/v1/logs', 'logs', 'eu-west-1', logBody, dest)).status, 200);
    // The same group name from another region is not found: each region has its own groups.
    assert.equal((await signedPost(signed.url, '/v1/logs', 'logs', 'us-west-2', logBody, dest)).status, 400);
    const got = await euLogs.send(new GetLogEventsCommand({ logGroupName: 'eu-only', logStreamName: 's' }));
    assert.equal(got.events!.length, 1);
  } finally {
    for (const c of [eu, us, euLogs]) c.destroy();
  }
});
