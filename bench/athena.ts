/**
 * athena: Athena queries over N log events (default 10 M, ~2 GB of messages) generated inside the
 * engine (bench/lib/bulk-log-events.ts), through the real API (SDK v3, SigV4). Reports, from
 * StartQueryExecution to SUCCEEDED as a client sees it (GetQueryExecution polled every 2 ms):
 *  - a GROUP BY count that reads every message (regexp_extract of the status) and one that filters
 *    messages (LIKE) — GB/s of message bytes; target (issue 22) ≥ 1 GB/s;
 *  - a trivial query (`SELECT 1`): the service's own overhead; target < 20 ms.
 * Options: --rows N (10000000)
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { timed } from './lib/athena-timed.ts';
import { sdkConfig } from '../test/helpers/server.ts';
import { bulkGroup } from './lib/bulk-group.ts';
import { percentile, printTable } from './lib/stats.ts';

const GROUP = '/bench/athena';

export async function run(args: string[]) {
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 10_000_000;
  const { server, api, messageBytes, rows: total } = await bulkGroup(GROUP, rows);
  api.close();
  const client = new AthenaClient({ ...sdkConfig(server.url), maxAttempts: 1 });
  try {
    await timed(client, 'SELECT 1');
    const statusSql = (n: number) => `SELECT regexp_extract(message, 'status=(\\d+)', 1) AS status, count(*) AS n FROM osprey.logs WHERE log_group = '${GROUP}' AND ${n} = ${n} GROUP BY 1 ORDER BY 2 DESC`;
    const likeSql = (n: number) => `SELECT log_stream, count(*) FROM osprey.logs WHERE log_group = '${GROUP}' AND message LIKE '%latency_ms=${100 + n}%' GROUP BY 1`;
    // Each repetition differs (the engine caches conditions it found false in a granule).
    const groupRuns = [];
    for (let k = 0; k < 3; k++) groupRuns.push(await timed(client, statusSql(k)));
    const likeRuns = [];
    for (let k = 0; k < 3; k++) likeRuns.push(await timed(client, likeSql(k)));
    const trivial: number[] = [];
    for (let k = 0; k < 50; k++) trivial.push((await timed(client, `SELECT ${k} AS k`)).ms);
    trivial.sort((a, b) => a - b);
    const med = <T extends { ms: number }>(xs: T[]): T => [...xs].sort((a, b) => a.ms - b.ms)[Math.floor(xs.length / 2)]!;
    const g = med(groupRuns);
    const l = med(likeRuns);
    const gbps = (ms: number) => +(messageBytes / 1e9 / (ms / 1000)).toFixed(2);
    const result = {
      rows: total, messageBytes,
      groupByStatus: { ms: Math.round(g.ms), gbPerSec: gbps(g.ms), scannedBytes: g.scanned, groups: g.rows.length - 1 },
      likeGroupBy: { ms: Math.round(l.ms), gbPerSec: gbps(l.ms) },
      trivial: { p50ms: +percentile(trivial, 50).toFixed(1), p99ms: +percentile(trivial, 99).toFixed(1) },
    };
    printTable(`athena: ${total.toLocaleString('en-US')} log events, ${(messageBytes / 1e9).toFixed(2)} GB of messages`, [
      { query: 'GROUP BY regexp_extract(message, status) — every message read', value: `${result.groupByStatus.ms} ms → ${result.groupByStatus.gbPerSec} GB/s (target ≥ 1)` },
      { query: "GROUP BY log_stream WHERE message LIKE '%…%'", value: `${result.likeGroupBy.ms} ms → ${result.likeGroupBy.gbPerSec} GB/s` },
      { query: 'SELECT k (Start → SUCCEEDED as the client sees it)', value: `p50 ${result.trivial.p50ms} ms, p99 ${result.trivial.p99ms} ms (target < 20 ms)` },
    ]);
    return result;
  } finally {
    await server.stop();
    server.cleanup();
  }
}
