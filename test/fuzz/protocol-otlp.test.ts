/**
 * HTTP fuzzing of the OTLP/HTTP endpoints (/v1/traces, /v1/logs, /v1/metrics), signed as the
 * exporters sign them: valid requests in protobuf and JSON, then damaged, truncated and random
 * protobuf, hostile JSON, gzip of each, corrupt gzip and wrong content types. Contract: never a
 * 5xx, every error an OTLP google.rpc.Status (or 415's text), answered within ANSWER_MS, the
 * server alive afterwards. Short mode ~300 requests per signal; OSPREY_LONG=1 10×.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest } from '../../src/protocol/otlp/proto.ts';
import { protobufBodies } from '../../src/protocol/otlp/fuzz-bodies.ts';
import { sdkConfig, startTestServer, type TestServer } from '../helpers/server.ts';
import { fuzzHttp, hostileJsonText, reportHttp, runs, sample, type FuzzRequest } from './support.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer({ modules: ['logs', 'cloudwatch', 'xray'] });
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'otlp-fuzz' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'otlp-fuzz', logStreamName: 'app' }));
  } finally {
    logs.destroy();
  }
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

const nanos = String(BigInt(Date.now()) * 1_000_000n);
const resource = { attributes: [{ key: 'service.name', value: { string_value: 'fuzz-svc' } }] };

const SIGNALS = {
  traces: {
    service: 'xray', headers: {},
    proto: ExportTraceServiceRequest,
    request: { resource_spans: [{ resource, scope_spans: [{ spans: [{
      trace_id: Buffer.alloc(16, 7), span_id: Buffer.alloc(8, 3), name: 'GET /', kind: 2, start_time_unix_nano: nanos, end_time_unix_nano: nanos,
      attributes: [{ key: 'http.response.status_code', value: { int_value: 200 } }],
    }] }] }] },
  },
  logs: {
    service: 'logs', headers: { 'x-aws-log-group': 'otlp-fuzz', 'x-aws-log-stream': 'app' },
    proto: ExportLogsServiceRequest,
    request: { resource_logs: [{ resource, scope_logs: [{ log_records: [{ time_unix_nano: nanos, severity_text: 'INFO', body: { string_value: 'hello' } }] }] }] },
  },
  metrics: {
    service: 'monitoring', headers: {},
    proto: ExportMetricsServiceRequest,
    request: { resource_metrics: [{ resource, scope_metrics: [{ metrics: [
      { name: 'g', unit: 'ms', gauge: { data_points: [{ time_unix_nano: nanos, as_double: 1.5 }] } },
      { name: 'h', histogram: { aggregation_temporality: 1, data_points: [{ start_time_unix_nano: nanos, time_unix_nano: nanos, count: '2', sum: 3, bucket_counts: ['1', '1'], explicit_bounds: [2] }] } },
    ] }] }] },
  },
} as const;

function requests(signal: keyof typeof SIGNALS): fc.Arbitrary<FuzzRequest> {
  const s = SIGNALS[signal];
  const protobuf = Buffer.from(s.proto.encode(s.proto.fromObject(s.request)).finish());
  const json = s.proto.toObject(s.proto.decode(protobuf), { longs: String, bytes: String }) as Record<string, unknown>;
  const make = (label: string, body: Buffer, contentType: string, extra: Record<string, string> = {}): FuzzRequest => ({
    label: `${signal} ${label}`, protocol: 'otlp', service: s.service, path: `/v1/${signal}`,
    headers: { 'content-type': contentType, ...s.headers, ...extra }, body,
  });
  const pb = 'application/x-protobuf';
  const damaged = protobufBodies(protobuf).map((b) => make('damaged protobuf', b, pb));
  return fc.oneof(
    fc.constant(make('valid protobuf', protobuf, pb)),
    fc.constant(make('valid JSON', Buffer.from(JSON.stringify(json)), 'application/json')),
    damaged,
    damaged.map((r) => ({ ...r, label: `${r.label} gzip`, headers: { ...r.headers, 'content-encoding': 'gzip' }, body: gzipSync(r.body) })),
    protobufBodies(gzipSync(protobuf)).map((b) => make('damaged gzip', b, pb, { 'content-encoding': 'gzip' })),
    hostileJsonText(json).map((t) => make('hostile JSON', Buffer.from(t), 'application/json')),
    fc.constantFrom('text/plain', '', 'application/grpc', 'application/x-protobuf; charset=utf-8', 'APPLICATION/JSON').map((ct) => make(`content-type '${ct}'`, protobuf, ct)),
    fc.constantFrom('br', 'deflate', 'gzip, gzip').map((enc) => make(`encoding '${enc}'`, gzipSync(protobuf), pb, { 'content-encoding': enc })),
  );
}

for (const [signal, salt] of [['traces', 11], ['logs', 12], ['metrics', 13]] as const) {
  test(`/v1/${signal}: mutated, random and mislabelled bodies never yield a 5xx`, { timeout: 600_000 }, async () => {
    const stats = await fuzzHttp(server.url, sample(requests(signal), runs(300), salt));
    reportHttp(`OTLP /v1/${signal}`, stats);
    assert.ok((stats.byStatus[200] ?? 0) > 0, 'some requests were accepted');
  });
}
