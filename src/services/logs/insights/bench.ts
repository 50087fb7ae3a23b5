/**
 * Logs Insights query throughput: compiled SQL over N generated events in embedded ClickHouse.
 * Run: cd /work/main && node --import tsx src/services/logs/insights/bench.ts [events=2000000]
 *
 * The events are generated inside the engine (INSERT … SELECT FROM numbers(N), deterministic:
 * values come from cityHash64 of the row number), half JSON, half text lines for `parse`, spread
 * over 24 h in 8 streams of one group. Each query runs 3 times; the table shows the best run:
 * events in range per second and GB/s of message bytes covered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from '../../../store/telemetry/engine.ts';
import { migrate } from '../../../store/telemetry/migrations.ts';
import { compileInsightsQuery } from './index.ts';

const N = Number(process.argv[2] ?? 2_000_000);
const GROUP = '/bench/insights';
const START = Date.UTC(2024, 4, 1);
const SPAN = 24 * 3_600_000;

const QUERIES = [
  'filter @message like /ERROR/ | stats count(*) by bin(5m)',
  'parse @message "user=*, method=*, latency := *" as u, m, lat | filter ispresent(lat) | stats avg(lat), pct(lat, 90) by m',
  'filter level = "ERROR" | stats count(*) as n, avg(latency) by path | sort n desc | limit 10',
  'filter latency > 990 | fields @timestamp, user, latency | sort latency desc | limit 20',
  'fields @timestamp, @message | sort @timestamp desc | limit 20',
  'stats count_distinct(user) as users, sum(latency) as total by bin(1h)',
];

const dir = mkdtempSync(join(tmpdir(), 'osprey-insights-bench-'));
const engine = await ChdbEngine.open({ path: dir });
try {
  await migrate(engine);
  const t0 = performance.now();
  const level = "arrayElement(['INFO','INFO','INFO','DEBUG','WARN','ERROR'], (cityHash64(number, 1) % 6) + 1)";
  const latency = 'toString(cityHash64(number, 2) % 1000)';
  const method = "arrayElement(['GET','PUT','POST','DELETE'], (cityHash64(number, 3) % 4) + 1)";
  await engine.exec(`INSERT INTO log_events (account, region, log_group, log_stream, ts, ingest_ts, seq, message, key_id)
    SELECT '000000000000', 'us-east-1', '${GROUP}', concat('s-', toString(number % 8)),
      ${START} + intDiv(number * ${SPAN}, ${N}) AS t, t + 200, number,
      if(number % 2 = 0,
        concat('{"level":"', ${level}, '","method":"', ${method}, '","path":"/api/v1/r', toString(cityHash64(number, 4) % 50),
          '","latency":', ${latency}, ',"user":"u', toString(cityHash64(number, 5) % 5000), '","bytes":', toString(cityHash64(number, 6) % 100000), '}'),
        concat('2024-05-01T12:00:00Z [', ${level}, '] user=u', toString(cityHash64(number, 5) % 5000), ', method=', ${method},
          ', latency := ', ${latency})),
      ''
    FROM numbers(${N})`);
  const genSec = (performance.now() - t0) / 1000;
  const [{ bytes }] = await engine.query<{ bytes: string }>(`SELECT sum(length(message)) AS bytes FROM log_events WHERE log_group = '${GROUP}'`);
  const gb = Number(bytes) / 1e9;

  const rows: Record<string, string | number>[] = [];
  for (const query of QUERIES) {
    const q = compileInsightsQuery(query, { account: '000000000000', region: 'us-east-1', logGroups: [GROUP], startMs: START, endMs: START + SPAN });
    let best = Infinity;
    let resultRows = 0;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      const r = await engine.query(q.sql, q.params);
      best = Math.min(best, (performance.now() - t) / 1000);
      resultRows = r.length;
    }
    rows.push({
      query: query.length > 70 ? `${query.slice(0, 67)}...` : query,
      results: resultRows,
      seconds: best.toFixed(3),
      'events/s': `${(N / best / 1e6).toFixed(1)} M`,
      'GB/s': (gb / best).toFixed(2),
    });
  }
  console.log(`${N} events (${(gb * 1000).toFixed(0)} MB of messages) generated in ${genSec.toFixed(1)} s`);
  console.table(rows);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}, RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
} finally {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}
