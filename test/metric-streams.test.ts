// Metric streams with real clients: a JSON stream over one namespace delivers every minute's
// min/max/sum/count (and p99) of every series to an HTTP receiver in Firehose's HTTP endpoint
// format (request id, source ARN and access key headers) within 3 minutes; an OpenTelemetry 1.0
// stream's records decode with OpenTelemetry JS's own OTLP protobuf definitions; a stream to
// Osprey's own Firehose delivery stream (no `streams` mapping) lands in its bucket; the API through
// SDK v3 and boto3 1.26; AWS's errors for bad input; the streams' own AWS/CloudWatch/MetricStreams
// metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import {
  CloudWatchClient, PutMetricStreamCommand, GetMetricStreamCommand, ListMetricStreamsCommand, StopMetricStreamsCommand, StartMetricStreamsCommand,
  DeleteMetricStreamCommand, PutMetricDataCommand, ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { bucketDirs, bucketMap, objects, s3Dest } from './helpers/firehose.ts';
import { until } from './helpers/until.ts';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
const otlp = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { metrics: { v1: { ExportMetricsServiceRequest: { decode(b: Uint8Array): unknown; toObject(m: unknown, o: object): Record<string, unknown> } } } } } };
};
const ExportMetricsServiceRequest = otlp.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

const JSON_ARN = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/metrics-json';
const OTEL_ARN = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/metrics-otel';
const ROLE = 'arn:aws:iam::000000000000:role/metric-stream';
const NATIVE_ARN = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/metrics-native';
const buckets = bucketDirs(['metric-lake']);
let server: TestServer;
let receiver: Server;
const requests: { path: string; headers: IncomingHttpHeaders; body: { requestId: string; timestamp: number; records: { data: string }[] } }[] = [];

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push({ path: req.url!, headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ requestId: body.requestId, timestamp: Date.now() }));
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  server = await startTestServer({
    modules: ['cloudwatch', 'firehose'],
    env: { OSPREY_DELIVERY_POLL_MS: '100', OSPREY_EXPORT_BUCKETS: bucketMap(buckets), OSPREY_STREAM_SINKS: JSON.stringify({ [JSON_ARN]: `${base}/json#accessKey=s3cret`, [OTEL_ARN]: `${base}/otel` }) },
  });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  receiver?.close();
});

/** The varint-length-prefixed messages of one OpenTelemetry record. */
function messages(record: Buffer): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < record.length;) {
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = record[at++]!;
      len |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
    }
    out.push(record.subarray(at, at + len));
    at += len;
  }
  return out;
}

test('a JSON stream delivers every series\' minute within 3 minutes; OpenTelemetry 1.0 decodes with the OTLP definitions', async () => {
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const { Arn } = await cw.send(new PutMetricStreamCommand({
    Name: 'app-json', FirehoseArn: JSON_ARN, RoleArn: ROLE, OutputFormat: 'json', IncludeFilters: [{ Namespace: 'App' }],
    StatisticsConfigurations: [{ IncludeMetrics: [{ Namespace: 'App', MetricName: 'Latency' }], AdditionalStatistics: ['p99'] }],
    Tags: [{ Key: 'team', Value: 'obs' }],
  }));
  assert.equal(Arn, 'arn:aws:cloudwatch:us-east-1:000000000000:metric-stream/app-json');
  const firehose = new FirehoseClient(sdkConfig(server.url));
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'metrics-native', ExtendedS3DestinationConfiguration: s3Dest('metric-lake', { Prefix: 'cw/', BufferingHints: { IntervalInSeconds: 1, SizeInMBs: 1 } }),
  }));
  await cw.send(new PutMetricStreamCommand({ Name: 'app-native', FirehoseArn: NATIVE_ARN, RoleArn: ROLE, OutputFormat: 'json', IncludeFilters: [{ Namespace: 'App', MetricNames: ['Errors'] }] }));
  await cw.send(new PutMetricStreamCommand({ Name: 'app-otel', FirehoseArn: OTEL_ARN, RoleArn: ROLE, OutputFormat: 'opentelemetry1.0', IncludeFilters: [{ Namespace: 'App', MetricNames: ['Latency'] }] }));

  const sent = Date.now();
  await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [
    { MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'a' }], Values: [10, 20, 30], Counts: [1, 1, 1], Unit: 'Milliseconds' },
    { MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'b' }], Value: 5, Unit: 'Milliseconds' },
    { MetricName: 'Errors', Value: 2, Unit: 'Count' },
  ] }));
  await cw.send(new PutMetricDataCommand({ Namespace: 'Other', MetricData: [{ MetricName: 'Ignored', Value: 1 }] }));

  const jsonReq = await until('the JSON stream\'s delivery', () => requests.find((r) => r.path === '/json'), 180_000);
  const delay = Date.now() - sent;
  console.log(`# first JSON delivery ${Math.round(delay / 1000)} s after PutMetricData`);
  assert.ok(delay < 180_000);
  assert.equal(jsonReq.headers['x-amz-firehose-access-key'], 's3cret');
  assert.equal(jsonReq.headers['x-amz-firehose-source-arn'], JSON_ARN);
  assert.equal(jsonReq.headers['x-amz-firehose-request-id'], jsonReq.body.requestId);
  const lines = jsonReq.body.records.flatMap((r) => Buffer.from(r.data, 'base64').toString('utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as { metric_stream_name: string; account_id: string; region: string; namespace: string; metric_name: string; dimensions: Record<string, string>; timestamp: number; value: Record<string, number>; unit: string });
  const by = (name: string, svc?: string) => lines.find((l) => l.metric_name === name && l.dimensions.Service === svc);
  assert.deepEqual(by('Latency', 'a')!.value, { max: 30, min: 10, sum: 60, count: 3, p99: 30 });
  assert.deepEqual(by('Latency', 'b')!.value, { max: 5, min: 5, sum: 5, count: 1, p99: 5 });
  assert.deepEqual(by('Errors')!.value, { max: 2, min: 2, sum: 2, count: 1 });
  assert.equal(by('Errors')!.unit, 'Count');
  assert.equal(lines.length, 3, 'only the App namespace');
  const l = by('Latency', 'a')!;
  assert.equal(l.metric_stream_name, 'app-json');
  assert.equal(l.account_id, '000000000000');
  assert.equal(l.region, 'us-east-1');
  assert.equal(l.timestamp % 60_000, 0);
  assert.ok(l.timestamp <= sent && sent < l.timestamp + 60_000);

  // The stream to Osprey's own delivery stream: its minute lands as an object in the mapped bucket.
  const native = await until('the native delivery stream\'s object', async () => {
    const objs = [...(await objects(buckets['metric-lake']!, 'cw/')).values()];
    const rows = objs.flatMap((b) => b.toString('utf8').split('\n').filter(Boolean).map((x) => JSON.parse(x) as { metric_stream_name: string; metric_name: string; value: Record<string, number> }));
    return rows.length > 0 ? rows : undefined;
  }, 60_000);
  assert.deepEqual(native.map((r) => [r.metric_stream_name, r.metric_name, r.value]), [['app-native', 'Errors', { max: 2, min: 2, sum: 2, count: 1 }]]);
  firehose.destroy();

  const otelReq = await until('the OpenTelemetry stream\'s delivery', () => requests.find((r) => r.path === '/otel'), 60_000);
  const decoded = otelReq.body.records.flatMap((r) => messages(Buffer.from(r.data, 'base64')))
    .map((m) => ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(m), { longs: String, defaults: false }) as {
      resourceMetrics: { resource: { attributes: { key: string; value: { stringValue: string } }[] }; scopeMetrics: { metrics: { name: string; unit: string; summary: { dataPoints: {
        attributes: { key: string; value: { stringValue?: string; kvlistValue?: { values: { key: string; value: { stringValue: string } }[] } } }[];
        count: string; sum: number; quantileValues: { quantile?: number; value: number }[]; startTimeUnixNano: string; timeUnixNano: string }[] } }[] }[] }[];
    });
  const rm = decoded[0]!.resourceMetrics[0]!;
  assert.deepEqual(Object.fromEntries(rm.resource.attributes.map((a) => [a.key, a.value.stringValue])), {
    'cloud.provider': 'aws', 'cloud.account.id': '000000000000', 'cloud.region': 'us-east-1', 'aws.exporter.arn': 'arn:aws:cloudwatch:us-east-1:000000000000:metric-stream/app-otel',
  });
  const metric = rm.scopeMetrics[0]!.metrics[0]!;
  assert.equal(metric.name, 'amazonaws.com/App/Latency');
  assert.equal(metric.unit, 'ms');
  const points = metric.summary.dataPoints;
  assert.equal(points.length, 2);
  const a = points.find((p) => p.attributes.find((x) => x.key === 'Dimensions')!.value.kvlistValue!.values[0]!.value.stringValue === 'a')!;
  assert.equal(a.count, '3');
  assert.equal(a.sum, 60);
  assert.deepEqual(a.quantileValues.map((q) => [q.quantile ?? 0, q.value]), [[0, 10], [1, 30]]);
  assert.equal(BigInt(a.timeUnixNano) - BigInt(a.startTimeUnixNano), 60_000_000_000n);

  // The streams' own metrics.
  await until('MetricUpdate published', async () => {
    const m = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/CloudWatch/MetricStreams', MetricName: 'MetricUpdate' }));
    return (m.Metrics ?? []).some((x) => x.Dimensions?.[0]?.Value === 'app-json') ? true : undefined;
  }, 30_000);

  // The API through boto3, then stop / start / delete.
  const py = `
import boto3, json
c = boto3.client('cloudwatch', endpoint_url='${server.url}', region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
s = c.get_metric_stream(Name='app-json')
print(json.dumps({'State': s['State'], 'Format': s['OutputFormat'], 'Include': s['IncludeFilters'], 'Stats': s['StatisticsConfigurations'],
  'Names': sorted(e['Name'] for e in c.list_metric_streams()['Entries']), 'Tags': c.list_tags_for_resource(ResourceARN=s['Arn'])['Tags']}))`;
  const { stdout } = await run('/usr/bin/python3', ['-c', py], { env: awsEnv() });
  assert.deepEqual(JSON.parse(stdout), {
    State: 'running', Format: 'json', Include: [{ Namespace: 'App' }],
    Stats: [{ IncludeMetrics: [{ Namespace: 'App', MetricName: 'Latency' }], AdditionalStatistics: ['p99'] }],
    Names: ['app-json', 'app-native', 'app-otel'], Tags: [{ Key: 'team', Value: 'obs' }],
  });
  await cw.send(new StopMetricStreamsCommand({ Names: ['app-json'] }));
  assert.equal((await cw.send(new GetMetricStreamCommand({ Name: 'app-json' }))).State, 'stopped');
  await cw.send(new StartMetricStreamsCommand({ Names: ['app-json'] }));
  await cw.send(new DeleteMetricStreamCommand({ Name: 'app-otel' }));
  await cw.send(new DeleteMetricStreamCommand({ Name: 'app-native' }));
  assert.deepEqual((await cw.send(new ListMetricStreamsCommand({}))).Entries?.map((e) => [e.Name, e.State]), [['app-json', 'running']]);
});

test('bad input gets CloudWatch errors', async () => {
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const fail = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: { name: string; Code?: string; message: string }) => e);
  let e = await fail(cw.send(new PutMetricStreamCommand({ Name: 's', FirehoseArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/unmapped', RoleArn: ROLE, OutputFormat: 'json' })));
  assert.equal(e.Code, 'InvalidParameterValue');
  assert.match(e.message, /does not exist in this account and Region\. Create it/);
  e = await fail(cw.send(new PutMetricStreamCommand({ Name: 's', FirehoseArn: JSON_ARN, RoleArn: ROLE, OutputFormat: 'json', IncludeFilters: [{ Namespace: 'A' }], ExcludeFilters: [{ Namespace: 'B' }] })));
  assert.equal(e.Code, 'InvalidParameterCombination');
  e = await fail(cw.send(new PutMetricStreamCommand({ Name: 's', FirehoseArn: JSON_ARN, RoleArn: ROLE, OutputFormat: 'json',
    StatisticsConfigurations: [{ IncludeMetrics: [{ Namespace: 'A', MetricName: 'm' }], AdditionalStatistics: ['IQM'] }] })));
  assert.equal(e.Code, 'InvalidParameterValue');
  e = await fail(cw.send(new GetMetricStreamCommand({ Name: 'nope' })));
  assert.equal(e.name, 'ResourceNotFoundException');
  e = await fail(cw.send(new StartMetricStreamsCommand({ Names: ['nope'] })));
  assert.equal(e.Code, 'InvalidParameterValue');
});
