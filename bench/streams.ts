/**
 * Kinesis Data Streams end to end: a few concurrent signed clients send PutRecords (500 records of
 * ~100 bytes each, random partition keys) to one provisioned stream on a real server
 * (`--modules kinesis`) for a fixed time; a record counts once its request got its 200 (the records
 * are then in the write-ahead log). Afterwards every shard is read back from TRIM_HORIZON with
 * GetRecords (Limit 10000) and the count checked against what was acknowledged.
 *
 * Clients: the lean SigV4 JSON client (bench/lib/signed-client.ts), so the client's CPU stays small
 * on this shared 2-core machine. Options: --seconds N (10), --clients N (8), --shards N (8),
 * --records N per request (500), --fsync. BENCH_PROF=1 writes the server's CPU profile to /tmp/prof.
 */
import { startTestServer } from '../test/helpers/server.ts';
import { SignedJsonClient } from './lib/signed-client.ts';
import { cpuSeconds, percentile, printTable, rssMb } from './lib/stats.ts';
import { rng } from './lib/rng.ts';

const arg = (args: string[], name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const p = (xs: number[], q: number) => Math.round(percentile([...xs].sort((a, b) => a - b), q) * 10) / 10;

interface Workload { seconds: number; clients: number; shards: number; records: number }

/** A few distinct PutRecords bodies (deterministic data), built once: the client resends them. */
function bodies(w: Workload, count: number): string[] {
  const rand = rng(42);
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const data = () => Array.from({ length: 100 }, () => chars[Math.floor(rand() * chars.length)]).join('');
  return Array.from({ length: count }, () => JSON.stringify({
    StreamName: 'bench',
    Records: Array.from({ length: w.records }, () => ({
      PartitionKey: `pk-${Math.floor(rand() * 1e9)}`,
      Data: Buffer.from(data()).toString('base64'),
    })),
  }));
}

async function put(api: SignedJsonClient, w: Workload, serverPid: number) {
  const payloads = bodies(w, 16);
  let stop = false;
  let acked = 0;
  const lat: number[] = [];
  const client = async (c: number) => {
    for (let n = c; !stop; n++) {
      const t = performance.now();
      const r = await api.call('PutRecords', payloads[n % payloads.length]!);
      if (r.status !== 200) throw new Error(`PutRecords ${r.status}: ${r.body.slice(0, 300)}`);
      lat.push(performance.now() - t);
      acked += w.records - (JSON.parse(r.body) as { FailedRecordCount: number }).FailedRecordCount;
    }
  };
  const cpu0 = cpuSeconds(serverPid);
  const started = performance.now();
  const all = Array.from({ length: w.clients }, (_, c) => client(c));
  await new Promise((r) => setTimeout(r, w.seconds * 1000));
  stop = true;
  await Promise.all(all);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(serverPid) - cpu0;
  return {
    acked, recordsPerSec: Math.round(acked / elapsed), putRecordsP50Ms: p(lat, 50), putRecordsP99Ms: p(lat, 99),
    serverCpuPct: Math.round((cpu / elapsed) * 100), serverCpuUsPerRecord: acked > 0 ? +((cpu * 1e6) / acked).toFixed(1) : 0,
    serverRssMb: Math.round(rssMb(serverPid)),
  };
}

/** Reads every shard from TRIM_HORIZON to its tip; records read and how fast. */
async function readBack(api: SignedJsonClient, shards: number) {
  const call = async (op: string, body: unknown) => {
    const r = await api.call(op, JSON.stringify(body));
    if (r.status !== 200) throw new Error(`${op} ${r.status}: ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body) as Record<string, unknown>;
  };
  const started = performance.now();
  let read = 0;
  let calls = 0;
  for (let s = 0; s < shards; s++) {
    const ShardId = `shardId-${String(s).padStart(12, '0')}`;
    let it = (await call('GetShardIterator', { StreamName: 'bench', ShardId, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator as string;
    for (;;) {
      const r = await call('GetRecords', { ShardIterator: it, Limit: 10_000 });
      calls++;
      const n = (r.Records as unknown[]).length;
      read += n;
      if (n === 0) break;
      it = r.NextShardIterator as string;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { read, getRecordsCalls: calls, readRecordsPerSec: Math.round(read / seconds) };
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const w: Workload = { seconds: arg(args, 'seconds', 10), clients: arg(args, 'clients', 8), shards: arg(args, 'shards', 8), records: arg(args, 'records', 500) };
  const fsync = args.includes('--fsync');
  const server = await startTestServer({
    modules: ['kinesis'], nodeArgs: process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [], env: fsync ? { OSPREY_FSYNC: 'true' } : {},
  });
  try {
    const api = new SignedJsonClient(server.url, 'kinesis', 'Kinesis_20131202', '1.1');
    const created = await api.call('CreateStream', JSON.stringify({ StreamName: 'bench', ShardCount: w.shards }));
    if (created.status !== 200) throw new Error(`CreateStream ${created.status}: ${created.body}`);
    const ingest = await put(api, w, server.child.pid!);
    const back = await readBack(api, w.shards);
    api.close();
    const complete = back.read === ingest.acked;
    printTable(`streams: ${w.clients} clients × PutRecords (${w.records} × ~100 B), ${w.shards} shards, lean SigV4 client${fsync ? ', fsync' : ''}, ${w.seconds} s`, [
      ...Object.entries(ingest).map(([measure, value]) => ({ measure, value })),
      ...Object.entries(back).map(([measure, value]) => ({ measure, value })),
      { measure: 'readBackComplete', value: String(complete) },
    ]);
    if (!complete) throw new Error(`read back ${back.read} records, ${ingest.acked} were acknowledged`);
    return { ...w, fsync, streams: { ...ingest, ...back, readBackComplete: complete } };
  } finally {
    await server.stop();
    server.cleanup();
  }
}
