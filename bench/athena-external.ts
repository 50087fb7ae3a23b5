/**
 * athena-external: Athena external tables over files in a mapped bucket (a local directory), through
 * the real API (SDK v3). 2 M request records in 20 daily Hive partitions, as gzipped JSON lines and
 * as Parquet (written by the engine). Reported, Start → SUCCEEDED as the client sees it (medians
 * of 5): a GROUP BY over every record, the same with a predicate on the partition key (1 of 20
 * folders), and — the peer, measured in the same run — the same GROUP BY hand-written for the
 * engine (chDB's file() and JSONExtract, no API, no translation) in this process. The ratio
 * peer/Osprey is the cost of the service around the engine; target ≥ 0.8.
 * Options: --records N (2000000)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Session } from 'chdb';
import { AthenaClient } from '@aws-sdk/client-athena';
import { sdkConfig, startTestServer } from '../test/helpers/server.ts';
import { timed } from './lib/athena-timed.ts';
import { printTable } from './lib/stats.ts';

const DAYS = 20;
const day = (d: number) => `2026-01-${String(d + 1).padStart(2, '0')}`;

function writeJson(dir: string, records: number): number {
  let bytes = 0;
  const perDay = Math.ceil(records / DAYS);
  for (let d = 0; d < DAYS; d++) {
    const lines: string[] = [];
    for (let i = 0; i < perDay; i++) {
      const n = d * perDay + i;
      lines.push(JSON.stringify({ ts: `${day(d)}T00:00:${String(n % 60).padStart(2, '0')}Z`, status: [200, 200, 200, 404, 500][n % 5], path: `/api/v1/items/${n % 1000}`, latency: (n % 997) / 10, user: `u${n % 5000}` }));
    }
    const text = `${lines.join('\n')}\n`;
    bytes += text.length;
    mkdirSync(join(dir, 'json', `dt=${day(d)}`), { recursive: true });
    writeFileSync(join(dir, 'json', `dt=${day(d)}`, 'part-0.json.gz'), gzipSync(text, { level: 1 }));
  }
  return bytes;
}

async function median(f: (k: number) => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let k = 0; k < 5; k++) xs.push(await f(k));
  return xs.sort((a, b) => a - b)[2]!;
}

export async function run(args: string[]) {
  const i = args.indexOf('--records');
  const records = i >= 0 ? Number(args[i + 1]) : 2_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'osprey-bench-lake-'));
  const peerDir = mkdtempSync(join(tmpdir(), 'osprey-bench-peer-'));
  const jsonBytes = writeJson(dir, records);
  const peer = new Session(peerDir);
  // The Parquet copy, written by the engine (one file per day, as the JSON).
  for (let d = 0; d < DAYS; d++) {
    mkdirSync(join(dir, 'parquet', `dt=${day(d)}`), { recursive: true });
    peer.query(`INSERT INTO FUNCTION file('${dir}/parquet/dt=${day(d)}/part-0.parquet', 'Parquet') SELECT JSONExtractString(line, 'ts') AS ts, toInt32(JSONExtractInt(line, 'status')) AS status, JSONExtractString(line, 'path') AS path, JSONExtractFloat(line, 'latency') AS latency, JSONExtractString(line, 'user') AS user FROM file('${dir}/json/dt=${day(d)}/part-0.json.gz', 'LineAsString')`, 'CSV');
  }
  const server = await startTestServer({ modules: ['athena'], env: { OSPREY_EXPORT_BUCKETS: JSON.stringify({ lake: `file://${dir}` }) } });
  const client = new AthenaClient({ ...sdkConfig(server.url), maxAttempts: 1 });
  const ok = (sql: string) => timed(client, sql);
  try {
    const cols = '(ts string, status int, path string, latency double, user string) PARTITIONED BY (dt string)';
    await ok(`CREATE EXTERNAL TABLE ev_json ${cols} ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/json/'`);
    await ok(`CREATE EXTERNAL TABLE ev_parquet ${cols} STORED AS PARQUET LOCATION 's3://lake/parquet/'`);
    await ok('MSCK REPAIR TABLE ev_json');
    await ok('MSCK REPAIR TABLE ev_parquet');
    const group = (t: string, k: number, where = '') => `SELECT status, count(*), avg(latency) FROM ${t} WHERE ${k} = ${k}${where} GROUP BY 1 ORDER BY 1`;
    const jsonAll = await median(async (k) => (await ok(group('ev_json', k))).ms);
    const jsonDay = await median(async (k) => (await ok(group('ev_json', k, ` AND dt = '${day(3)}'`))).ms);
    const parquetAll = await median(async (k) => (await ok(group('ev_parquet', k))).ms);
    const peerJson = await median(async (k) => {
      const t = performance.now();
      peer.query(`SELECT toInt32(JSONExtractInt(line, 'status')) AS s, count(), avg(JSONExtractFloat(line, 'latency')) FROM file('${dir}/json/**', 'LineAsString') WHERE ${k} = ${k} GROUP BY s ORDER BY s`, 'CSV');
      return performance.now() - t;
    });
    const peerParquet = await median(async (k) => {
      const t = performance.now();
      peer.query(`SELECT status, count(), avg(latency) FROM file('${dir}/parquet/**', 'Parquet') WHERE ${k} = ${k} GROUP BY status ORDER BY status`, 'CSV');
      return performance.now() - t;
    });
    const mbps = (ms: number) => +(jsonBytes / 1e6 / (ms / 1000)).toFixed(0);
    const result = {
      records, jsonBytes,
      json: { ms: Math.round(jsonAll), mbPerSec: mbps(jsonAll), peerMs: Math.round(peerJson), ratio: +(peerJson / jsonAll).toFixed(2) },
      jsonOnePartition: { ms: Math.round(jsonDay), speedup: +(jsonAll / jsonDay).toFixed(1) },
      parquet: { ms: Math.round(parquetAll), peerMs: Math.round(peerParquet), ratio: +(peerParquet / parquetAll).toFixed(2) },
    };
    printTable(`athena-external: ${records.toLocaleString('en-US')} records, ${(jsonBytes / 1e6).toFixed(0)} MB of JSON (gzipped) in ${DAYS} partitions`, [
      { query: 'JSON: GROUP BY status over every record', value: `${result.json.ms} ms (${result.json.mbPerSec} MB/s of JSON); engine by hand ${result.json.peerMs} ms → ratio ${result.json.ratio} (target ≥ 0.8)` },
      { query: "JSON: the same WHERE dt = '<one day>' (1 of 20 folders read)", value: `${result.jsonOnePartition.ms} ms (×${result.jsonOnePartition.speedup} faster)` },
      { query: 'Parquet: GROUP BY status over every record', value: `${result.parquet.ms} ms; engine by hand ${result.parquet.peerMs} ms → ratio ${result.parquet.ratio} (target ≥ 0.8)` },
    ]);
    return result;
  } finally {
    peer.close();
    await server.stop();
    server.cleanup();
    rmSync(dir, { recursive: true, force: true });
    rmSync(peerDir, { recursive: true, force: true });
  }
}
