/**
 * peers: Osprey side by side with the open-source systems a user would otherwise pick, on the same
 * machine in the same run.
 *
 * Debian's victoria-metrics and prometheus packages are installed with apt-get when missing.
 *
 * Metrics — the same workload (S series × M one-minute samples ending now, seeded values) into:
 * - Osprey: PutMetricData (JSON 1.0 + SigV4, 1,000 datums per call, 8 clients);
 * - VictoriaMetrics 1.79 (Debian): /api/v1/import JSON lines, 8 clients;
 * - Prometheus 2.42 (Debian): the same samples as OpenMetrics, backfilled with `promtool tsdb
 *   create-blocks-from openmetrics` (Prometheus has no bulk push of history; its remote-write
 *   receiver rejects out-of-order history), then served by `prometheus`.
 * - the PutMetricData wire ceiling: the same bodies and clients against a bare Node HTTP server that
 *   only verifies SigV4 and JSON.parses (bench/lib/wire-ceiling-server.ts) — the most a Node
 *   implementation of this API could ingest here, whatever its storage.
 * Queries, p50 of repeated runs (each system keeps its own caches):
 * - Q1: avg, max and p99 per 5 minutes of one series over 24 h (GetMetricData with three MetricStat
 *   queries; three query_range calls with *_over_time / quantile_over_time);
 * - Q2: top 10 of 1,000 series by their 1-hour average (Metrics Insights GROUP BY … ORDER BY AVG()
 *   DESC LIMIT 10; instant `topk(10, avg_over_time(cpu[1h]))`).
 * Bytes on disk per datapoint after flushing.
 *
 * Logs — no log store is packaged for this machine, so the comparison is with the physical limits
 * measured in the same run: end-to-end PutLogEvents vs the raw engine insert of the same rows
 * (ingest-logs), and a FilterLogEvents full scan vs a raw engine scan of the same bytes.
 *
 * Options: --series N (1000) --minutes N (1440) --repeat N (20) --no-logs; BENCH_PROF=1 writes the
 * Osprey child's CPU profile to /tmp/prof.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { startTestServer } from '../test/helpers/server.ts';
import { ChdbEngine } from '../src/store/telemetry/engine.ts';
import { SignedJsonClient } from './lib/signed-client.ts';
import { rng } from './lib/rng.ts';
import { duMb, percentile, printTable } from './lib/stats.ts';
import { freePort, startPeer, type Peer } from './lib/peer-process.ts';

const MIN = 60_000;
const here = dirname(fileURLToPath(import.meta.url));

function opt(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

interface Workload { series: number; minutes: number; start: number; value: (s: number, m: number) => number }

function workload(series: number, minutes: number): Workload {
  const end = Math.floor(Date.now() / MIN) * MIN - 2 * MIN;
  // Per-series level and noise, fixed by the seed: a realistic spread for top-k and percentiles.
  const next = rng(1234);
  const level = Array.from({ length: series }, () => 10 + next() * 80);
  const noise = Array.from({ length: series * minutes }, () => next());
  return { series, minutes, start: end - minutes * MIN, value: (s, m) => Math.round((level[s]! + 20 * (noise[s * minutes + m]! - 0.5)) * 100) / 100 };
}

async function pool<T>(items: T[], workers: number, f: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: workers }, async () => { while (i < items.length) await f(items[i++]!); }));
}

async function timeRepeat(n: number, f: () => Promise<unknown>): Promise<{ p50: number; first: number }> {
  const t0 = performance.now();
  await f();
  const first = performance.now() - t0;
  const xs: number[] = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await f(); xs.push(performance.now() - t); }
  xs.sort((a, b) => a - b);
  return { p50: percentile(xs, 50), first };
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Debian's packages, installed on first use (the machine's apt works; we run as root). */
function ensurePeersInstalled(): void {
  const missing = [['victoria-metrics', 'victoria-metrics'], ['prometheus', 'prometheus'], ['promtool', 'prometheus']]
    .filter(([bin]) => { try { execFileSync('which', [bin!], { stdio: 'ignore' }); return false; } catch { return true; } })
    .map(([, pkg]) => pkg!);
  if (missing.length === 0) return;
  console.log(`installing ${[...new Set(missing)].join(', ')} with apt-get…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...new Set(missing)], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export async function run(args: string[]) {
  ensurePeersInstalled();
  const w = workload(opt(args, 'series', 1000), opt(args, 'minutes', 1440));
  const repeat = opt(args, 'repeat', 20);
  const samples = w.series * w.minutes;
  const work = mkdtempSync(join(tmpdir(), 'osprey-peers-'));
  const peers: Peer[] = [];
  const result: Record<string, unknown> = { series: w.series, minutes: w.minutes, samples };
  try {
    const osprey = await benchOsprey(w, repeat);
    result.osprey = osprey;
    const vm = await benchVictoria(w, repeat, work, peers);
    result.victoriaMetrics = vm;
    const wireCeiling = await benchWireCeiling(w, peers);
    result.putMetricDataWireCeiling = wireCeiling;
    const prom = await benchPrometheus(w, repeat, work, peers);
    result.prometheus = prom;
    const ratios = {
      ingestVsVictoria: +(osprey.ingestPerSec / vm.ingestPerSec).toFixed(2),
      wireCeilingVsVictoria: +(wireCeiling / vm.ingestPerSec).toFixed(2),
      ingestVsWireCeiling: +(osprey.ingestPerSec / wireCeiling).toFixed(2),
      q1LatencyVsVictoria: +(osprey.q1p50 / vm.q1p50).toFixed(2),
      q2LatencyVsVictoria: +(osprey.q2p50 / vm.q2p50).toFixed(2),
      q1LatencyVsPrometheus: +(osprey.q1p50 / prom.q1p50).toFixed(2),
      q2LatencyVsPrometheus: +(osprey.q2p50 / prom.q2p50).toFixed(2),
    };
    result.ratios = ratios;
    printTable(`peers: metrics (${w.series} series × ${w.minutes} minutes = ${samples.toLocaleString('en-US')} samples)`, [
      { measure: 'ingest samples/s', osprey: osprey.ingestPerSec, victoriaMetrics: vm.ingestPerSec, prometheus: `${prom.ingestPerSec} (promtool backfill)` },
      { measure: 'PutMetricData wire ceiling (HTTP + SigV4 + JSON.parse only) samples/s', osprey: wireCeiling, victoriaMetrics: '', prometheus: '' },
      { measure: 'Q1 avg/max/p99 per 5 min, 1 series, 24 h: p50 ms (first)', osprey: `${osprey.q1p50} (${osprey.q1first})`, victoriaMetrics: `${vm.q1p50} (${vm.q1first})`, prometheus: `${prom.q1p50} (${prom.q1first})` },
      { measure: 'Q2 top 10 of 1,000 by 1 h avg: p50 ms (first)', osprey: `${osprey.q2p50} (${osprey.q2first})`, victoriaMetrics: `${vm.q2p50} (${vm.q2first})`, prometheus: `${prom.q2p50} (${prom.q2first})` },
      { measure: 'bytes on disk per sample', osprey: osprey.bytesPerSample, victoriaMetrics: vm.bytesPerSample, prometheus: prom.bytesPerSample },
      { measure: 'bytes per sample in active parts (merged-away parts excluded)', osprey: osprey.activeBytesPerSample, victoriaMetrics: '', prometheus: '' },
    ]);
    printTable('peers: Osprey / VictoriaMetrics (targets: ingest ≥ 0.5, query latency ≤ 2)', [
      { ratio: 'ingest throughput', value: ratios.ingestVsVictoria },
      { ratio: 'PutMetricData wire ceiling (no implementation in Node can pass it)', value: ratios.wireCeilingVsVictoria },
      { ratio: 'Osprey ingest / wire ceiling', value: ratios.ingestVsWireCeiling },
      { ratio: 'Q1 latency', value: ratios.q1LatencyVsVictoria },
      { ratio: 'Q2 latency', value: ratios.q2LatencyVsVictoria },
    ]);
    if (!args.includes('--no-logs')) result.logs = await benchLogs();
    return result;
  } finally {
    for (const p of peers) await p.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The PutMetricData bodies of the workload: 1,000 datums per call, minute-major so every call spans many series (like agents flushing). */
function putMetricDataBodies(w: Workload): string[] {
  const bodies: string[] = [];
  let batch: unknown[] = [];
  for (let m = 0; m < w.minutes; m++) {
    for (let s = 0; s < w.series; s++) {
      batch.push({ MetricName: 'cpu', Dimensions: [{ Name: 'host', Value: `h${s}` }], Timestamp: (w.start + m * MIN) / 1000, Value: w.value(s, m) });
      if (batch.length === 1000) { bodies.push(JSON.stringify({ Namespace: 'Peers', MetricData: batch })); batch = []; }
    }
  }
  if (batch.length > 0) bodies.push(JSON.stringify({ Namespace: 'Peers', MetricData: batch }));
  return bodies;
}

/**
 * The same bodies, clients and signatures against bench/lib/wire-ceiling-server.ts (HTTP + SigV4
 * verification + JSON.parse, nothing else): the most any Node implementation of PutMetricData
 * could ingest on this machine.
 */
async function benchWireCeiling(w: Workload, peers: Peer[]): Promise<number> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startPeer('wire-ceiling', process.execPath, ['--import', 'tsx', join(here, 'lib', 'wire-ceiling-server.ts'), String(port)], url, '/health');
  peers.push(server);
  const api = new SignedJsonClient(url, 'monitoring', 'GraniteServiceVersion20100801', '1.0');
  const bodies = putMetricDataBodies(w);
  const t0 = performance.now();
  await pool(bodies, 8, async (b) => {
    const r = await api.call('PutMetricData', b);
    if (r.status !== 200) throw new Error(`wire ceiling ${r.status}: ${r.body.slice(0, 300)}`);
  });
  const sec = (performance.now() - t0) / 1000;
  api.close();
  await server.stop();
  return Math.round((w.series * w.minutes) / sec);
}

/**
 * Bytes of the telemetry store's active parts. `du` right after a run also counts the parts that
 * merges replaced, which ClickHouse keeps for old_parts_lifetime (8 min: its guard against a power
 * loss before the merged part reached the disk) and then deletes.
 */
async function activePartBytes(dir: string): Promise<number> {
  const engine = await ChdbEngine.open({ path: dir });
  try {
    const [row] = await engine.query<{ b: string }>('SELECT toString(sum(bytes_on_disk)) AS b FROM system.parts WHERE active AND database = currentDatabase()');
    return Number(row!.b);
  } finally {
    await engine.close();
  }
}

async function benchOsprey(w: Workload, repeat: number) {
  // BENCH_PROF=1: the Osprey child writes a V8 CPU profile to /tmp/prof (as in bench/events.ts).
  const server = await startTestServer({ nodeArgs: process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [] });
  const api = new SignedJsonClient(server.url, 'monitoring', 'GraniteServiceVersion20100801', '1.0');
  const call = async (op: string, body: unknown) => {
    const r = await api.call(op, typeof body === 'string' ? body : JSON.stringify(body));
    if (r.status !== 200) throw new Error(`${op} ${r.status}: ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body || '{}');
  };
  try {
    const bodies = putMetricDataBodies(w);
    const t0 = performance.now();
    await pool(bodies, 8, (b) => call('PutMetricData', b));
    const ingestSec = (performance.now() - t0) / 1000;
    const end = w.start + w.minutes * MIN;
    const dims = [{ Name: 'host', Value: 'h1' }];
    const q1 = JSON.stringify({
      StartTime: (end - 24 * 60 * MIN) / 1000, EndTime: end / 1000, ScanBy: 'TimestampAscending',
      MetricDataQueries: ['Average', 'Maximum', 'p99'].map((stat, i) => ({ Id: `q${i}`, MetricStat: { Metric: { Namespace: 'Peers', MetricName: 'cpu', Dimensions: dims }, Period: 300, Stat: stat } })),
    });
    const q2 = JSON.stringify({
      StartTime: (end - 60 * MIN) / 1000, EndTime: end / 1000,
      MetricDataQueries: [{ Id: 'top', Period: 3600, Expression: 'SELECT AVG(cpu) FROM SCHEMA("Peers", host) GROUP BY host ORDER BY AVG() DESC LIMIT 10' }],
    });
    const t1 = await timeRepeat(repeat, () => call('GetMetricData', q1));
    const t2 = await timeRepeat(repeat, () => call('GetMetricData', q2));
    api.close();
    await server.stop();
    const disk = duMb(join(server.dataDir, 'telemetry')) * 1024 * 1024;
    const active = await activePartBytes(join(server.dataDir, 'telemetry'));
    return {
      ingestPerSec: Math.round((w.series * w.minutes) / ingestSec), q1p50: r1(t1.p50), q1first: r1(t1.first), q2p50: r1(t2.p50), q2first: r1(t2.first),
      bytesPerSample: +(disk / (w.series * w.minutes)).toFixed(2),
      activeBytesPerSample: +(active / (w.series * w.minutes)).toFixed(2),
    };
  } finally {
    if (server.child.exitCode === null) await server.stop();
    server.cleanup();
  }
}

async function benchVictoria(w: Workload, repeat: number, work: string, peers: Peer[]) {
  const dir = join(work, 'vm');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const vm = await startPeer('victoria-metrics', 'victoria-metrics', ['-storageDataPath', dir, '-httpListenAddr', `127.0.0.1:${port}`, '-retentionPeriod', '100y', '-loggerLevel', 'ERROR'], url, '/health');
  peers.push(vm);
  // 50 series per request: one JSON line per series with its 1,440 values and timestamps.
  const bodies: string[] = [];
  for (let s0 = 0; s0 < w.series; s0 += 50) {
    const lines: string[] = [];
    for (let s = s0; s < Math.min(s0 + 50, w.series); s++) {
      lines.push(JSON.stringify({
        metric: { __name__: 'cpu', host: `h${s}` },
        values: Array.from({ length: w.minutes }, (_, m) => w.value(s, m)),
        timestamps: Array.from({ length: w.minutes }, (_, m) => w.start + m * MIN),
      }));
    }
    bodies.push(lines.join('\n'));
  }
  const t0 = performance.now();
  await pool(bodies, 8, async (b) => {
    const r = await fetch(`${url}/api/v1/import`, { method: 'POST', body: b });
    if (r.status !== 204 && r.status !== 200) throw new Error(`vm import ${r.status}: ${await r.text()}`);
  });
  const ingestSec = (performance.now() - t0) / 1000;
  await fetch(`${url}/internal/force_flush`);
  const queries = promQueries(w, url);
  const t1 = await timeRepeat(repeat, queries.q1);
  const t2 = await timeRepeat(repeat, queries.q2);
  await fetch(`${url}/internal/force_merge`).catch(() => undefined);
  const disk = duMb(dir) * 1024 * 1024;
  return {
    ingestPerSec: Math.round((w.series * w.minutes) / ingestSec), q1p50: r1(t1.p50), q1first: r1(t1.first), q2p50: r1(t2.p50), q2first: r1(t2.first),
    bytesPerSample: +(disk / (w.series * w.minutes)).toFixed(2), checkedTop: await queries.check(),
  };
}

async function benchPrometheus(w: Workload, repeat: number, work: string, peers: Peer[]) {
  const dir = join(work, 'prom');
  const file = join(work, 'samples.om');
  const out = createWriteStream(file);
  for (let s = 0; s < w.series; s++) {
    let chunk = '';
    for (let m = 0; m < w.minutes; m++) chunk += `cpu{host="h${s}"} ${w.value(s, m)} ${(w.start + m * MIN) / 1000}\n`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end('# EOF\n');
  await once(out, 'finish');
  const t0 = performance.now();
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dir], { stdio: 'ignore' });
  const ingestSec = (performance.now() - t0) / 1000;
  const config = join(work, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const prom = await startPeer('prometheus', 'prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=100y', '--log.level=error'], url, '/-/ready');
  peers.push(prom);
  const queries = promQueries(w, url);
  const t1 = await timeRepeat(repeat, queries.q1);
  const t2 = await timeRepeat(repeat, queries.q2);
  const disk = duMb(dir) * 1024 * 1024;
  return {
    ingestPerSec: Math.round((w.series * w.minutes) / ingestSec), q1p50: r1(t1.p50), q1first: r1(t1.first), q2p50: r1(t2.p50), q2first: r1(t2.first),
    bytesPerSample: +(disk / (w.series * w.minutes)).toFixed(2), checkedTop: await queries.check(),
  };
}

/** The PromQL equivalents of Q1 and Q2 (VictoriaMetrics speaks PromQL too). */
function promQueries(w: Workload, url: string) {
  const end = (w.start + w.minutes * MIN) / 1000;
  const get = async (path: string, params: Record<string, string>) => {
    const r = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
    if (!r.ok) throw new Error(`${path} ${r.status}: ${await r.text()}`);
    return r.json() as Promise<{ data: { result: { metric: Record<string, string> }[] } }>;
  };
  const range = (q: string) => get('/api/v1/query_range', { query: q, start: String(end - 24 * 3600 + 300), end: String(end), step: '300' });
  const top = () => get('/api/v1/query', { query: 'topk(10, avg_over_time(cpu[1h]))', time: String(end) });
  return {
    q1: () => Promise.all([
      range('avg_over_time(cpu{host="h1"}[5m])'), range('max_over_time(cpu{host="h1"}[5m])'), range('quantile_over_time(0.99, cpu{host="h1"}[5m])'),
    ]),
    q2: top,
    check: async () => (await top()).data.result.length,
  };
}

async function benchLogs() {
  const ingest = await (await import('./ingest-logs.ts')).run(['--seconds', '15']);
  const ratio = ingest.ceiling ? +(ingest.eventsPerSec / ingest.ceiling.rowsPerSec).toFixed(2) : undefined;
  const scan = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(here, 'lib', 'scan-vs-raw.ts'), '2000000'], { encoding: 'utf8', cwd: join(here, '..') }).trim().split('\n').pop()!) as
    { filterGbPerSec: number; rawGbPerSec: number };
  const out = {
    ingestEventsPerSec: ingest.eventsPerSec, rawInsertRowsPerSec: ingest.ceiling?.rowsPerSec, ingestVsRaw: ratio,
    bytesOnDiskPerLogByte: ingest.bytesOnDiskPerRawByte,
    filterScanGbPerSec: scan.filterGbPerSec, rawScanGbPerSec: scan.rawGbPerSec, scanVsRaw: +(scan.filterGbPerSec / scan.rawGbPerSec).toFixed(2),
  };
  printTable('peers: logs vs the engine\'s own limits (target: ingest ≥ 0.8 × raw insert)', [
    { measure: 'PutLogEvents events/s end to end', value: out.ingestEventsPerSec },
    { measure: 'raw engine insert rows/s (same rows)', value: out.rawInsertRowsPerSec ?? 'n/a' },
    { measure: 'end-to-end / raw', value: out.ingestVsRaw ?? 'n/a' },
    { measure: 'FilterLogEvents full scan GB/s', value: out.filterScanGbPerSec },
    { measure: 'raw engine scan of the same bytes GB/s', value: out.rawScanGbPerSec },
    { measure: 'scan / raw', value: out.scanVsRaw },
    { measure: 'bytes on disk per log byte', value: out.bytesOnDiskPerLogByte },
  ]);
  return out;
}
