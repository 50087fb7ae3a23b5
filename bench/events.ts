/**
 * events: EventBridge's hot path. 1,000 rules on a custom bus (each `{"source": ["src-<k>"]}` with
 * one Lambda target mapped to a local HTTP receiver), then
 * - throughput: 8 clients send PutEvents of 10 entries (sources spread over the rules) as fast as
 *   they can; events/s accepted and events/s delivered to the receiver (until the last arrives);
 * - latency: 1,000 events/s for 10 s, one entry per PutEvents; PutEvents returned → the target
 *   received it, p50/p99;
 * - delivery ceiling: the same receiver fed by a bare node:http keep-alive client in its own process
 *   (same event bodies, same sockets and requests in flight as the delivery worker), nothing else —
 *   the most this machine can deliver to that receiver, so the delivered rate can be quoted as a ratio.
 *
 * Options: --events N (100000) --rules N (1000) --clients N (8)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { sdkConfig, startTestServer } from '../test/helpers/server.ts';
import { SignedJsonClient } from './lib/signed-client.ts';
import { cpuSeconds, percentile, printTable } from './lib/stats.ts';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:bench';
/** The keep-alive agent's sockets per origin in src/jobs/keep-alive-post.ts. */
const DELIVERY_SOCKETS = 256;
const arg = (args: string[], name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);

interface Sink { server: Server; url: string; count: number; arrivals: Map<string, number> }

async function startSink(): Promise<Sink> {
  const sink: Sink = { server: createServer(), url: '', count: 0, arrivals: new Map() };
  sink.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.end();
      sink.count++;
      const body = Buffer.concat(chunks).toString('utf8');
      const m = /"probe":"([^"]+)"/.exec(body);
      if (m) sink.arrivals.set(m[1]!, at);
    });
  });
  sink.server.keepAliveTimeout = 60_000;
  sink.server.listen(0, '127.0.0.1');
  await new Promise((r) => sink.server.once('listening', r));
  sink.url = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}/fn`;
  return sink;
}

/**
 * PutEvents as fast as `clients` lean SigV4 clients can send it (the SDK's own per-call cost would
 * take the cores the server needs): pre-built 10-entry bodies, sources spread over the rules.
 */
async function throughput(url: string, sink: Sink, total: number, rules: number, serverPid: number, clients: number) {
  const lean = new SignedJsonClient(url, 'events', 'AWSEvents');
  const bodies = Array.from({ length: 1000 }, (_, b) => JSON.stringify({
    Entries: Array.from({ length: 10 }, (_, i) => ({ EventBusName: 'bench', Source: `src-${(b * 10 + i) % Math.max(1, rules)}`, DetailType: 'Bench', Detail: `{"n":${b * 10 + i}}` })),
  }));
  const batches = Math.ceil(total / 10);
  let next = 0;
  const cpu0 = { server: cpuSeconds(serverPid), bench: process.cpuUsage() };
  const start = performance.now();
  const client = async () => {
    for (let b = next++; b < batches; b = next++) {
      const res = await lean.call('PutEvents', bodies[b % bodies.length]!);
      if (res.status !== 200 || !res.body.includes('"FailedEntryCount":0')) throw new Error(`PutEvents: ${res.status} ${res.body.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const accepted = performance.now() - start;
  while (rules > 0 && sink.count < total && performance.now() - start < 300_000) await new Promise((r) => setTimeout(r, 20));
  const delivered = performance.now() - start;
  const benchCpu = process.cpuUsage(cpu0.bench);
  const serverCpu = cpuSeconds(serverPid) - cpu0.server;
  // CPU per event holds still when helpers share the cores; events/s does not.
  const cpu = { serverCores: r1(serverCpu / (delivered / 1000)), benchCores: r1((benchCpu.user + benchCpu.system) / 1e3 / delivered), serverUsPerEvent: Math.round((serverCpu * 1e6) / total) };
  return { cpu, acceptedPerSec: Math.round(total / (accepted / 1000)), deliveredPerSec: Math.round(sink.count / (delivered / 1000)), delivered: sink.count };
}

/**
 * The bare poster, plain JS so it needs no loader: `n` POSTs of the given bodies with `inFlight`
 * requests outstanding over a keep-alive agent of `sockets` sockets (what src/jobs/keep-alive-post.ts
 * uses), then prints its CPU seconds.
 */
const BARE_POSTER = `
const http = require('node:http');
const [url, n, inFlight, sockets, bodiesJson] = process.argv.slice(1);
const bodies = JSON.parse(bodiesJson);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(sockets) });
let next = 0;
const post = (body) => new Promise((resolve, reject) => {
  const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.on('data', () => {}); res.on('end', resolve); res.on('error', reject);
  });
  req.on('error', reject);
  req.end(body);
});
const loop = async () => { for (let k = next++; k < Number(n); k = next++) await post(bodies[k % bodies.length]); };
Promise.all(Array.from({ length: Number(inFlight) }, loop)).then(() => {
  const u = process.cpuUsage();
  process.stdout.write(String((u.user + u.system) / 1e6));
  agent.destroy();
});
`;

/** An event as a Lambda target receives it (the whole event, no input transformation). */
function eventBody(n: number): string {
  return JSON.stringify({
    version: '0', id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, 'detail-type': 'Bench', source: `src-${n % 1000}`,
    account: '000000000000', time: '2026-12-05T00:00:00Z', region: 'us-east-1', resources: [], detail: { n },
  });
}

/**
 * Delivery ceiling: the same sink fed by BARE_POSTER in a child process (as the server is one), with
 * the delivery worker's concurrency (4 batches × 500 rows in flight over the agent's sockets) and with
 * as many in flight as sockets, which a standalone sweep found fastest (2026-12-05, 30,000 posts:
 * 2,000 in flight 6.6 k/s on 256 sockets, 10.7 k/s on 16–64; 64 on 64 16.4 k/s, 16 on 16 16.8 k/s,
 * 8 on 8 9.6 k/s).
 */
async function deliveryCeiling(sink: Sink, total: number, inFlight: number, sockets: number) {
  sink.count = 0;
  // 200 distinct bodies: argv strings are capped at 128 KiB.
  const bodies = Array.from({ length: 200 }, (_, n) => eventBody(n));
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const child = spawn(process.execPath, ['-e', BARE_POSTER, sink.url, String(total), String(inFlight), String(sockets), JSON.stringify(bodies)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`delivery ceiling poster exited with ${code}`);
  const ms = performance.now() - start;
  const sinkCpu = process.cpuUsage(cpu0);
  const perSec = Math.round(sink.count / (ms / 1000));
  sink.count = 0;
  return { perSec, posterCores: r1(Number(out) / (ms / 1000)), sinkCores: r1((sinkCpu.user + sinkCpu.system) / 1e3 / ms) };
}

async function latency(eb: EventBridgeClient, sink: Sink, seconds: number, perSec: number) {
  const returned = new Map<string, number>();
  const sends: Promise<unknown>[] = [];
  const start = performance.now();
  for (let k = 0; k < seconds * perSec; k++) {
    const due = start + (k * 1000) / perSec;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const probe = `p${k}`;
    sends.push(eb.send(new PutEventsCommand({ Entries: [{ EventBusName: 'bench', Source: `src-${k % 1000}`, DetailType: 'Bench', Detail: `{"probe":"${probe}"}` }] }))
      .then(() => returned.set(probe, performance.now())));
  }
  await Promise.all(sends);
  const end = performance.now() + 10_000;
  while (sink.arrivals.size < returned.size && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
  const lat = [...returned].map(([p, t]) => (sink.arrivals.get(p) ?? Infinity) - t).map((ms) => Math.max(0, ms)).sort((a, b) => a - b);
  return { events: lat.length, p50ms: r1(percentile(lat, 50)), p99ms: r1(percentile(lat, 99)), maxMs: r1(lat[lat.length - 1]!) };
}

export async function run(args: string[]) {
  const total = arg(args, '--events', 100_000);
  const rules = arg(args, '--rules', 1000);
  const sink = await startSink();
  const ceiling = await deliveryCeiling(sink, total, 2000, DELIVERY_SOCKETS);
  const bestCeiling = await deliveryCeiling(sink, total, 64, 64);
  const server = await startTestServer({ modules: ['events'], nodeArgs: process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [], env: { OSPREY_LAMBDA_URLS: JSON.stringify({ [FN]: sink.url }), OSPREY_QUOTAS: JSON.stringify({ 'events.rulesPerBus': Math.max(300, rules) }) } });
  const eb = new EventBridgeClient({ ...sdkConfig(server.url), maxAttempts: 1 });
  try {
    await eb.send(new CreateEventBusCommand({ Name: 'bench' }));
    for (let k = 0; k < rules; k++) {
      await eb.send(new PutRuleCommand({ Name: `r${k}`, EventBusName: 'bench', EventPattern: JSON.stringify({ source: [`src-${k}`], 'detail-type': ['Bench'] }) }));
      await eb.send(new PutTargetsCommand({ Rule: `r${k}`, EventBusName: 'bench', Targets: [{ Id: 't', Arn: FN }] }));
    }
    const tp = await throughput(server.url, sink, total, rules, server.child.pid!, arg(args, '--clients', 8));
    sink.count = 0;
    const lat = rules > 0 ? await latency(eb, sink, 10, 1000) : { events: 0, p50ms: NaN, p99ms: NaN, maxMs: NaN };
    const result = { rules, events: total, throughput: tp, latencyAt1000PerSec: lat, deliveryCeiling: ceiling, bestDeliveryCeiling: bestCeiling, ratioToCeiling: r2(tp.deliveredPerSec / Math.max(ceiling.perSec, bestCeiling.perSec)) };
    printTable(`events (PutEvents → ${rules} indexed rules → HTTP Lambda target)`, [
      { measure: 'PutEvents accepted events/s (8 lean SigV4 clients × 10 entries)', value: tp.acceptedPerSec },
      { measure: 'delivered to the target events/s (end to end)', value: tp.deliveredPerSec },
      { measure: 'CPU cores used meanwhile: server / bench process (clients + target)', value: `${tp.cpu.serverCores} / ${tp.cpu.benchCores}` },
      { measure: 'server CPU µs per event (accepted, matched, delivered)', value: tp.cpu.serverUsPerEvent },
      { measure: 'PutEvents returned → target received, at 1,000 events/s: p50 ms', value: lat.p50ms },
      { measure: '… p99 ms', value: lat.p99ms },
      { measure: '… max ms', value: lat.maxMs },
      { measure: `delivery ceiling: bare node:http poster → same target, 2,000 in flight / ${DELIVERY_SOCKETS} sockets, ev/s`, value: ceiling.perSec },
      { measure: '… CPU cores: poster / target', value: `${ceiling.posterCores} / ${ceiling.sinkCores}` },
      { measure: 'delivery ceiling, 64 in flight / 64 sockets, ev/s', value: bestCeiling.perSec },
      { measure: '… CPU cores: poster / target', value: `${bestCeiling.posterCores} / ${bestCeiling.sinkCores}` },
      { measure: 'delivered / the higher ceiling', value: result.ratioToCeiling },
    ]);
    return result;
  } finally {
    eb.destroy();
    await server.stop();
    server.cleanup();
    sink.server.close();
  }
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
