/**
 * insights: Logs Insights queries over N events (default 10 M) in one group, through StartQuery /
 * GetQueryResults over HTTP + SigV4. Prints seconds, rows/s and GB/s of message bytes per query.
 * Options: --rows N (10000000)
 */
import { bulkGroup } from './lib/bulk-group.ts';
import { printTable, rssMb } from './lib/stats.ts';

const GROUP = '/bench/insights';
const QUERIES = [
  { name: 'filter like /ERROR/ | stats count(*) by bin(5m)', query: 'filter @message like /ERROR/ | stats count(*) by bin(5m)' },
  { name: 'parse + stats', query: 'parse @message "GET /api/v1/* " as path | stats count(*) as n, avg(strlen(@message)) by path' },
];

export async function run(args: string[]) {
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 10_000_000;
  const g = await bulkGroup(GROUP, rows);
  const call = async (op: string, body: object) => {
    const r = await g.api.call(op, JSON.stringify(body));
    if (r.status !== 200) throw new Error(`${op} ${r.status}: ${r.body}`);
    return JSON.parse(r.body);
  };
  const runQuery = async (query: string) => {
    const t = performance.now();
    const { queryId } = await call('StartQuery', { logGroupName: GROUP, startTime: Math.floor(g.start / 1000) - 60, endTime: Math.ceil(g.end / 1000) + 60, queryString: query });
    for (;;) {
      const r = await call('GetQueryResults', { queryId });
      if (r.status === 'Complete') return { seconds: (performance.now() - t) / 1000, rows: r.results.length, scanned: r.statistics.recordsScanned as number };
      if (r.status !== 'Running' && r.status !== 'Scheduled') throw new Error(`query ${r.status}`);
      await new Promise((x) => setTimeout(x, 20));
    }
  };
  try {
    await runQuery('stats count(*)'); // warm-up
    const out: Record<string, string | number>[] = [];
    for (const q of QUERIES) {
      const runs = [await runQuery(q.query), await runQuery(q.query), await runQuery(q.query)];
      const best = runs.reduce((a, b) => (a.seconds < b.seconds ? a : b));
      out.push({ query: q.name, seconds: +best.seconds.toFixed(3), 'rows/s': Math.round(g.rows / best.seconds), 'GB/s': +(g.messageBytes / 1e9 / best.seconds).toFixed(2), resultRows: best.rows, recordsScanned: best.scanned });
    }
    printTable(`insights (${g.rows.toLocaleString()} events, ${(g.messageBytes / 1e9).toFixed(2)} GB of messages; best of 3, StartQuery → Complete)`, out);
    return { rows: g.rows, messageGb: +(g.messageBytes / 1e9).toFixed(2), generateSeconds: +g.generateSeconds.toFixed(1), queries: out, serverRssMb: Math.round(rssMb(g.server.child.pid!)) };
  } finally {
    g.api.close();
    await g.server.stop();
    g.server.cleanup();
  }
}
