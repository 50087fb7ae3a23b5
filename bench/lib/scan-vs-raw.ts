/**
 * A FilterLogEvents full scan (a substring in no message: every message read and searched) next to
 * the raw engine scan of the same bytes with the same predicate, in the same run. Own process:
 * the raw scan opens the stopped server's chDB directory. Prints {filterGbPerSec, rawGbPerSec}.
 * Usage: scan-vs-raw.ts <rows>
 */
import { join } from 'node:path';
import { bulkGroup } from './bulk-group.ts';
import { ChdbEngine } from '../../src/store/telemetry/engine.ts';

const GROUP = '/bench/scan';
const rows = Number(process.argv[2] ?? 2_000_000);
const g = await bulkGroup(GROUP, rows);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const filterSec: number[] = [];
try {
  await g.api.call('FilterLogEvents', JSON.stringify({ logGroupName: GROUP, filterPattern: 'WARMUP', limit: 1 }));
  for (const pattern of ['"QZX1"', '"QZX2"', '"QZX3"']) {
    const t = performance.now();
    let token: string | undefined;
    do {
      const r = await g.api.call('FilterLogEvents', JSON.stringify({ logGroupName: GROUP, filterPattern: pattern, nextToken: token }));
      if (r.status !== 200) throw new Error(r.body);
      token = (JSON.parse(r.body) as { nextToken?: string }).nextToken;
    } while (token);
    filterSec.push((performance.now() - t) / 1000);
  }
} finally {
  g.api.close();
  await g.server.stop();
}
const engine = await ChdbEngine.open({ path: join(g.server.dataDir, 'telemetry') });
const rawSec: number[] = [];
try {
  await engine.query(`SELECT count() AS n FROM log_events WHERE position(message, 'WARMUP') > 0`);
  for (const needle of ['QZX4', 'QZX5', 'QZX6']) {
    const t = performance.now();
    await engine.query(`SELECT count() AS n FROM log_events WHERE log_group = '${GROUP}' AND position(message, '${needle}') > 0`);
    rawSec.push((performance.now() - t) / 1000);
  }
} finally {
  await engine.close();
  g.server.cleanup();
}
const gb = g.messageBytes / 1e9;
console.log(JSON.stringify({ filterGbPerSec: +(gb / median(filterSec)).toFixed(2), rawGbPerSec: +(gb / median(rawSec)).toFixed(2) }));
