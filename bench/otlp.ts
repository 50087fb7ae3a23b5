/**
 * `npm run bench -- otlp [--seconds 10] [--clients 8] [--only traces,logs,metrics]`: OTLP/HTTP export throughput, one signal at a
 * time, as SigV4-signed protobuf requests the size the OpenTelemetry SDKs' batch processors send
 * (512 spans / 512 log records a request; metrics: 100 series × 3 instruments):
 * - `/v1/traces`: traces of 5 spans (a SERVER root, 3 CLIENT calls, 1 DynamoDB call) → X-Ray;
 * - `/v1/logs`: records with a body and 3 attributes → one log group and stream;
 * - `/v1/metrics`: a counter (cumulative), a gauge and a histogram (cumulative, SDK default buckets).
 * Bodies are encoded ahead (a pool per signal, ids fresh per body) so the clients spend the two
 * cores on sending, not encoding.
 */
import { randomBytes } from 'node:crypto';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest } from '../src/protocol/otlp/proto.ts';
import { drained } from './lib/ingest-drain.ts';
import { signedRestClient } from './lib/signed-rest-client.ts';
import { cpuSeconds, percentile, printTable, rssMb } from './lib/stats.ts';
import { sdkConfig, startTestServer } from '../test/helpers/server.ts';

const arg = (args: string[], name: string, dflt: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const POOL = 64;
const nanos = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);
const kv = (key: string, v: string | number) => ({ key, value: typeof v === 'string' ? { string_value: v } : { int_value: v } });
const encode = (type: typeof ExportTraceServiceRequest, o: object) => Buffer.from(type.encode(type.fromObject(o)).finish());

function spansBody(now: number): { body: Buffer; items: number } {
  const spans = [];
  for (let t = 0; t < 512 / 5; t++) {
    const traceId = randomBytes(16);
    const root = randomBytes(8);
    const t0 = now - 1000;
    spans.push({ trace_id: traceId, span_id: root, name: 'POST /checkout', kind: 2, start_time_unix_nano: nanos(t0), end_time_unix_nano: nanos(t0 + 250),
      attributes: [kv('http.request.method', 'POST'), kv('url.full', 'http://shop.local/checkout'), kv('http.response.status_code', 200)] });
    for (const svc of ['payments', 'inventory', 'shipping']) {
      spans.push({ trace_id: traceId, span_id: randomBytes(8), parent_span_id: root, name: 'POST', kind: 3, start_time_unix_nano: nanos(t0 + 10), end_time_unix_nano: nanos(t0 + 200),
        attributes: [kv('http.request.method', 'POST'), kv('url.full', `http://${svc}.local/`), kv('server.address', `${svc}.local`), kv('http.response.status_code', 200)] });
    }
    spans.push({ trace_id: traceId, span_id: randomBytes(8), parent_span_id: root, name: 'DynamoDB.PutItem', kind: 3, start_time_unix_nano: nanos(t0 + 200), end_time_unix_nano: nanos(t0 + 220),
      attributes: [kv('rpc.system', 'aws-api'), kv('rpc.service', 'DynamoDB'), kv('rpc.method', 'PutItem')] });
  }
  const body = encode(ExportTraceServiceRequest, { resource_spans: [{ resource: { attributes: [kv('service.name', 'checkout')] }, scope_spans: [{ spans }] }] });
  return { body, items: spans.length };
}

function logsBody(now: number): { body: Buffer; items: number } {
  const log_records = Array.from({ length: 512 }, (_, i) => ({
    time_unix_nano: nanos(now - 1000 + i), severity_number: 9, severity_text: 'INFO', body: { string_value: `order ${i} paid in ${i % 97} ms` },
    attributes: [kv('user.id', `u${i % 1000}`), kv('order.id', i), kv('http.route', '/pay')], trace_id: randomBytes(16), span_id: randomBytes(8),
  }));
  const body = encode(ExportLogsServiceRequest, { resource_logs: [{ resource: { attributes: [kv('service.name', 'checkout')] }, scope_logs: [{ scope: { name: 'shop' }, log_records }] }] });
  return { body, items: log_records.length };
}

const BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
let cumulative = 0;

function metricsBody(now: number, start: number): { body: Buffer; items: number } {
  cumulative++;
  const series = Array.from({ length: 100 }, (_, i) => [kv('route', `/r${i}`)]);
  const t = nanos(now);
  const s = nanos(start);
  const metrics = [
    { name: 'requests', unit: '{requests}', sum: { aggregation_temporality: 2, is_monotonic: true, data_points: series.map((attributes) => ({ attributes, start_time_unix_nano: s, time_unix_nano: t, as_int: cumulative * 10 })) } },
    { name: 'queue.depth', unit: '{messages}', gauge: { data_points: series.map((attributes, i) => ({ attributes, time_unix_nano: t, as_double: i + cumulative })) } },
    { name: 'latency', unit: 'ms', histogram: { aggregation_temporality: 2, data_points: series.map((attributes) => ({
      attributes, start_time_unix_nano: s, time_unix_nano: t, count: String(cumulative * 16), sum: cumulative * 16 * 40, min: 1, max: 900,
      explicit_bounds: BOUNDS, bucket_counts: [0, 1, 1, 2, 3, 2, 2, 1, 1, 1, 1, 1, 0, 0, 0, 0].map((c) => String(c * cumulative)),
    })) } },
  ];
  return { body: encode(ExportMetricsServiceRequest, { resource_metrics: [{ resource: { attributes: [kv('service.name', 'checkout')] }, scope_metrics: [{ metrics }] }] }), items: 300 };
}

async function drive(url: string, path: string, table: string, service: string, headers: Record<string, string>, next: () => { body: Buffer; items: number }, seconds: number, clients: number, pid: number) {
  const client = signedRestClient(url, service);
  const latencies: number[] = [];
  let items = 0;
  let throttled = 0;
  let maxRss = 0;
  const rss = setInterval(() => (maxRss = Math.max(maxRss, Math.round(rssMb(pid)))), 500);
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  const [serverCpu0, clientCpu0] = [cpuSeconds(pid), cpuSeconds(process.pid)];
  await Promise.all(Array.from({ length: clients }, async () => {
    while (Date.now() < until) {
      const { body, items: n } = next();
      const t = performance.now();
      const res = await client.post(path, body, { 'content-type': 'application/x-protobuf', ...headers });
      latencies.push(performance.now() - t);
      if (res.status === 503) {
        // Load shed (the ingest head is full): back off as the OpenTelemetry exporters do.
        throttled++;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (res.status !== 200) throw new Error(`${path} ${res.status}: ${res.body.slice(0, 200)}`);
      items += n;
    }
  }));
  // Acknowledged means in the write-ahead log: the rate counts until the server's head is empty,
  // i.e. every acknowledged item is in the engine.
  const drainMs = await drained(url, table);
  clearInterval(rss);
  const elapsed = (performance.now() - started) / 1000;
  const [serverCpu, clientCpu] = [cpuSeconds(pid) - serverCpu0, cpuSeconds(process.pid) - clientCpu0];
  latencies.sort((a, b) => a - b);
  return {
    items, perSec: Math.round(items / elapsed), drainMs, throttled, p50ms: r1(percentile(latencies, 50)), p99ms: r1(percentile(latencies, 99)), maxRssMb: maxRss,
    // Server CPU per item, and how much of the two cores each side used.
    serverCpuUsPerItem: r1((serverCpu / items) * 1e6), serverCores: r1(serverCpu / elapsed), clientCores: r1(clientCpu / elapsed),
  };
}

/** A pool of pre-encoded bodies served round-robin. */
function pool(make: () => { body: Buffer; items: number }): () => { body: Buffer; items: number } {
  const bodies = Array.from({ length: POOL }, make);
  let i = 0;
  return () => bodies[i++ % bodies.length]!;
}

export async function run(args: string[]) {
  const seconds = arg(args, '--seconds', 10);
  const clients = arg(args, '--clients', 8);
  const server = await startTestServer({ modules: ['logs', 'cloudwatch', 'xray'], nodeArgs: [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])] });
  const cwl = new CloudWatchLogsClient(sdkConfig(server.url));
  try {
    await cwl.send(new CreateLogGroupCommand({ logGroupName: 'otlp-bench' }));
    await cwl.send(new CreateLogStreamCommand({ logGroupName: 'otlp-bench', logStreamName: 'app' }));
    const pid = server.child.pid!;
    const now = Date.now();
    const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : ['traces', 'logs', 'metrics'];
    const none = { items: 0, perSec: 0, drainMs: 0, throttled: 0, p50ms: 0, p99ms: 0, maxRssMb: 0, serverCpuUsPerItem: 0, serverCores: 0, clientCores: 0 };
    const spans = only.includes('traces') ? await drive(server.url, '/v1/traces', 'trace_segments', 'xray', {}, pool(() => spansBody(now)), seconds, clients, pid) : none;
    const logs = only.includes('logs')
      ? await drive(server.url, '/v1/logs', 'log_events', 'logs', { 'x-aws-log-group': 'otlp-bench', 'x-aws-log-stream': 'app' }, pool(() => logsBody(now)), seconds, clients, pid) : none;
    // Metrics bodies are cumulative: each must be newer than the last, so they are made as sent.
    const start = Date.now() - 1000;
    const metrics = only.includes('metrics') ? await drive(server.url, '/v1/metrics', 'metric_points', 'monitoring', {}, () => metricsBody(Date.now(), start), seconds, clients, pid) : none;
    const result = { seconds, clients, spans, logRecords: logs, metrics };
    printTable('OTLP/HTTP export (protobuf, SigV4)', [
      { measure: `/v1/traces spans/s (${clients} clients × 510 spans), until all are in the engine`, value: spans.perSec },
      { measure: '… of which the head drained after the run (ms); requests shed with 503', value: `${spans.drainMs}; ${spans.throttled}` },
      { measure: '… request p50 / p99 ms; server max RSS MB; server µs CPU per item; cores used server / bench clients', value: `${spans.p50ms} / ${spans.p99ms}; ${spans.maxRssMb}; ${spans.serverCpuUsPerItem}; ${spans.serverCores} / ${spans.clientCores}` },
      { measure: `/v1/logs records/s (${clients} clients × 512 records)`, value: logs.perSec },
      { measure: '… request p50 / p99 ms; server max RSS MB; server µs CPU per item; cores used server / bench clients', value: `${logs.p50ms} / ${logs.p99ms}; ${logs.maxRssMb}; ${logs.serverCpuUsPerItem}; ${logs.serverCores} / ${logs.clientCores}` },
      { measure: `/v1/metrics data points/s (${clients} clients × 300 points)`, value: metrics.perSec },
      { measure: '… request p50 / p99 ms; server max RSS MB; server µs CPU per item; cores used server / bench clients', value: `${metrics.p50ms} / ${metrics.p99ms}; ${metrics.maxRssMb}; ${metrics.serverCpuUsPerItem}; ${metrics.serverCores} / ${metrics.clientCores}` },
    ]);
    return result;
  } finally {
    cwl.destroy();
    await server.stop();
    server.cleanup();
  }
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
