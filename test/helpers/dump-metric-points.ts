/**
 * Prints every stored metric point of a stopped server's chDB directory, one JSON object per line
 * (own process: chDB binds one data directory per process): integration tests check the exact
 * stored fields this way, which GetMetricData would only show aggregated per period.
 */
import { ChdbEngine } from '../../src/store/telemetry/engine.ts';

const engine = await ChdbEngine.open({ path: process.argv[2]! });
const rows = await engine.query<Record<string, unknown>>(
  `SELECT account, region, namespace, metric_name, dimensions, toInt64(ts) AS ts, storage_resolution, unit,
          sample_count, sum, min, max, values, counts
   FROM metric_raw ORDER BY namespace, metric_name, dimensions, ts`,
);
await engine.close();
for (const r of rows) console.log(JSON.stringify({ ...r, ts: Number(r.ts) }));
