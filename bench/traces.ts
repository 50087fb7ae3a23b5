/**
 * `npm run bench -- traces [--seconds 10] [--clients 8] [--udp-rate 40000]`: X-Ray segment ingest
 * through PutTraceSegments (8 lean SigV4 clients, 50 documents per call: traces of one root segment
 * and four downstream service segments, each root with an HTTP and a DynamoDB subsegment), then
 * GetServiceGraph and a filtered GetTraceSummaries over everything stored in the last hour; then,
 * on a fresh server, the daemon's UDP port fed the same documents as datagrams at `--udp-rate`
 * segments/s (as X-Ray SDKs send them: one datagram per segment), reporting what the daemon stored,
 * what it dropped (its full buffer) and what never reached it (the kernel's socket buffer).
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { GetServiceGraphCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { drained } from './lib/ingest-drain.ts';
import { signedRestClient } from './lib/signed-rest-client.ts';
import { percentile, printTable, rssMb } from './lib/stats.ts';
import { sdkConfig, startTestServer } from '../test/helpers/server.ts';

const arg = (args: string[], name: string, dflt: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const SERVICES = ['checkout', 'payments', 'inventory', 'shipping', 'email'];

/** One trace: 5 segments (checkout → 4 services), as JSON documents. */
function trace(nowSec: number): string[] {
  const traceId = `1-${Math.floor(nowSec).toString(16)}-${randomBytes(12).toString('hex')}`;
  const rootId = randomBytes(8).toString('hex');
  const calls = SERVICES.slice(1).map(() => randomBytes(8).toString('hex'));
  const t0 = nowSec - 1;
  const root = {
    trace_id: traceId, id: rootId, name: 'checkout', origin: 'AWS::EC2::Instance', start_time: t0, end_time: t0 + 0.25,
    http: { request: { method: 'POST', url: 'http://shop.local/checkout' }, response: { status: 200 } }, annotations: { tier: 'gold' },
    subsegments: [
      ...calls.map((id, i) => ({ id, name: SERVICES[i + 1], start_time: t0 + 0.01, end_time: t0 + 0.2, namespace: 'remote', http: { request: { traced: true }, response: { status: 200 } } })),
      { id: randomBytes(8).toString('hex'), name: 'DynamoDB', namespace: 'aws', start_time: t0 + 0.2, end_time: t0 + 0.22, aws: { table_name: 'orders', operation: 'PutItem' } },
    ],
  };
  const downstream = calls.map((parent, i) => ({
    trace_id: traceId, id: randomBytes(8).toString('hex'), parent_id: parent, name: SERVICES[i + 1], start_time: t0 + 0.02, end_time: t0 + 0.19,
    http: { response: { status: i === 3 ? 500 : 200 } }, ...(i === 3 ? { fault: true } : {}),
  }));
  return [JSON.stringify(root), ...downstream.map((d) => JSON.stringify(d))];
}

export async function ingest(url: string, seconds: number, clients: number, pid: number) {
  const client = signedRestClient(url, 'xray');
  const latencies: number[] = [];
  let segments = 0;
  let maxRss = 0;
  const until = Date.now() + seconds * 1000;
  const rss = setInterval(() => (maxRss = Math.max(maxRss, Math.round(rssMb(pid)))), 500);
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (Date.now() < until) {
      const docs = Array.from({ length: 10 }, () => trace(Date.now() / 1000)).flat();
      const t = performance.now();
      const res = await client.post('/TraceSegments', JSON.stringify({ TraceSegmentDocuments: docs }));
      latencies.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`PutTraceSegments ${res.status}: ${res.body.slice(0, 200)}`);
      segments += docs.length;
    }
  }));
  await drained(url, 'trace_segments');
  clearInterval(rss);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { segments, segmentsPerSec: Math.round(segments / elapsed), p50ms: r1(percentile(latencies, 50)), p99ms: r1(percentile(latencies, 99)), maxRssMb: maxRss };
}

const profiling = (): string[] => (process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []);

const DAEMON_HEADER = '{"format":"json","version":1}\n';

/** The daemon's UDP port (OSPREY_XRAY_UDP_PORT=0) and, after the server stopped, its final counts. */
function fromLog(lines: readonly string[], msg: string): Record<string, unknown> | undefined {
  for (const line of lines) {
    try {
      const r = JSON.parse(line) as Record<string, unknown>;
      if (r.msg === msg) return r;
    } catch {
      // not a log record
    }
  }
  return undefined;
}

export async function udpIngest(seconds: number, rate: number) {
  const server = await startTestServer({ modules: ['xray'], nodeArgs: profiling() });
  const port = fromLog(server.logs, 'x-ray daemon listening')?.udpPort as number;
  const sock = createSocket('udp4');
  sock.connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  let sent = 0;
  const started = performance.now();
  try {
    while (performance.now() - started < seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      while (sent < due) {
        for (const doc of trace(Date.now() / 1000)) {
          sock.send(DAEMON_HEADER + doc);
          sent++;
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    sock.close();
    await server.stop(); // the daemon sends what it queued, then logs its counts
    server.cleanup();
  }
  const elapsed = (performance.now() - started) / 1000;
  const counts = fromLog(server.logs, 'x-ray daemon: segments stored and dropped since start') ?? {};
  const stored = Number(counts.stored ?? 0);
  const dropped = Number(counts.dropped ?? 0);
  return { rate, sent, stored, dropped, neverArrived: sent - stored - dropped, storedPerSec: Math.round(stored / elapsed) };
}

/** Each bench trace is 5 segment documents holding 5 subsegments: 10 spans per 5 documents. */
const SPANS_PER_SEGMENT = 2;

/** Waits for the settle pass (debug log) to cover everything received up to `at`; ms waited. */
async function settled(logs: readonly string[], at: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    for (const line of logs) {
      if (line.includes('trace graph settled') && (JSON.parse(line) as { upto: number }).upto >= at - 1) return Date.now() - started;
    }
    if (Date.now() - started > 300_000) throw new Error('traces not settled in 300 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function timed(n: number, f: () => Promise<unknown>): Promise<{ p50ms: number; p99ms: number }> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { p50ms: r1(percentile(t, 50)), p99ms: r1(percentile(t, 99)) };
}

export async function run(args: string[]) {
  const seconds = arg(args, '--seconds', 10);
  // Debug logs: the settle pass's lines tell when every ingested trace is settled.
  const server = await startTestServer({ modules: ['xray'], nodeArgs: profiling(), env: { OSPREY_LOG_LEVEL: 'debug' } });
  const xray = new XRayClient({ ...sdkConfig(server.url), maxAttempts: 1 });
  try {
    const put = await ingest(server.url, seconds, arg(args, '--clients', 8), server.child.pid!);
    const range = { StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 60_000) };
    const ingested = Date.now();
    const graphQuery = () => timed(3, () => xray.send(new GetServiceGraphCommand(range)));
    const summariesQuery = () => timed(3, () => xray.send(new GetTraceSummariesCommand({ ...range, FilterExpression: 'service("checkout") AND responsetime > 0.2' })));
    const fresh = { graph: await graphQuery(), summaries: await summariesQuery() };
    await settled(server.logs, ingested);
    const settleMs = Date.now() - ingested;
    const graph = await graphQuery();
    const summaries = await summariesQuery();
    const udp = await udpIngest(seconds, arg(args, '--udp-rate', 40_000));
    const result = { seconds, putTraceSegments: put, spans: put.segments * SPANS_PER_SEGMENT, serviceGraph: graph, traceSummaries: summaries, unsettled: fresh, settleMs, udp };
    printTable('traces (X-Ray)', [
      { measure: 'PutTraceSegments segments/s (8 SigV4 clients × 50 documents), until all are in the engine', value: put.segmentsPerSec },
      { measure: '… call p50 / p99 ms; server max RSS MB', value: `${put.p50ms} / ${put.p99ms}; ${put.maxRssMb}` },
      { measure: `GetServiceGraph over ${put.segments.toLocaleString('en-US')} segments, ${result.spans.toLocaleString('en-US')} spans (last hour), settled: p50 / p99 ms`, value: `${graph.p50ms} / ${graph.p99ms}` },
      { measure: 'GetTraceSummaries service("checkout") AND responsetime > 0.2 (first page), settled: p50 / p99 ms', value: `${summaries.p50ms} / ${summaries.p99ms}` },
      { measure: '… the same two right after ingest (the last ~10 s not settled yet); all settled in ms after ingest', value: `${fresh.graph.p50ms} / ${fresh.summaries.p50ms}; ${settleMs}` },
      { measure: `daemon UDP port fed ${udp.rate.toLocaleString('en-US')} segments/s: stored segments/s`, value: udp.storedPerSec },
      { measure: '… sent / stored / dropped by the daemon / never arrived', value: `${udp.sent} / ${udp.stored} / ${udp.dropped} / ${udp.neverArrived}` },
    ]);
    return result;
  } finally {
    xray.destroy();
    await server.stop();
    server.cleanup();
  }
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
