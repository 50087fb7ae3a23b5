/**
 * filter-logs: FilterLogEvents with term patterns over N events (default 10 M) in one group, through
 * the real HTTP + SigV4 path. The events are generated inside the engine (bench/lib/bulk-log-events.ts)
 * so the run measures the query, not the load. Reports GB/s of message bytes covered:
 *  - rare term: one call that has to scan every event to find the single match;
 *  - common term (2 % of events): paging through every match with nextToken, 10,000 per page.
 * Options: --rows N (10000000)
 */
import { bulkGroup } from './lib/bulk-group.ts';
import { duMb, printTable, rssMb } from './lib/stats.ts';
const GROUP = '/bench/filter';

export async function run(args: string[]) {
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 10_000_000;
  const { server, api, messageBytes, rows: total, generateSeconds } = await bulkGroup(GROUP, rows);
  const gen = { rows: total, messageBytes };
  const genSec = generateSeconds;
  try {
    const call = async (body: object) => {
      const r = await api.call('FilterLogEvents', JSON.stringify(body));
      if (r.status !== 200) throw new Error(`FilterLogEvents ${r.status}: ${r.body}`);
      return JSON.parse(r.body) as { events: { message: string }[]; nextToken?: string };
    };
    await call({ logGroupName: GROUP, filterPattern: 'WARMUP', limit: 1 });

    const rareRuns: number[] = [];
    let rareFound = 0;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      let token: string | undefined;
      let found = 0;
      do {
        const page = await call({ logGroupName: GROUP, filterPattern: 'NEEDLE', nextToken: token });
        found += page.events.length;
        token = page.nextToken;
      } while (token);
      rareRuns.push((performance.now() - t) / 1000);
      rareFound = found;
    }
    const rareSec = Math.min(...rareRuns);

    const t = performance.now();
    let token: string | undefined;
    let matches = 0;
    let pages = 0;
    do {
      const page = await call({ logGroupName: GROUP, filterPattern: 'ERROR', nextToken: token });
      matches += page.events.length;
      pages++;
      token = page.nextToken;
    } while (token);
    const commonSec = (performance.now() - t) / 1000;
    const rss = rssMb(server.child.pid!);

    const gb = gen.messageBytes / 1e9;
    const result = {
      rows: gen.rows,
      messageGb: +gb.toFixed(2),
      generateSeconds: +genSec.toFixed(1),
      rareTerm: { matches: rareFound, seconds: +rareSec.toFixed(3), gbPerSec: +(gb / rareSec).toFixed(2), rowsPerSec: Math.round(gen.rows / rareSec) },
      commonTerm: { matches, pages, seconds: +commonSec.toFixed(2), gbPerSec: +(gb / commonSec).toFixed(2), matchesPerSec: Math.round(matches / commonSec) },
      serverRssMb: Math.round(rss),
      dataDirMb: Math.round(duMb(server.dataDir)),
    };
    printTable(`filter-logs (FilterLogEvents over ${gen.rows.toLocaleString()} events, ${result.messageGb} GB of messages)`, [
      { query: "rare term 'NEEDLE' (full scan, 1 match)", seconds: result.rareTerm.seconds, 'GB/s': result.rareTerm.gbPerSec, 'rows/s': result.rareTerm.rowsPerSec },
      { query: `common term 'ERROR' (${matches} matches, ${pages} pages)`, seconds: result.commonTerm.seconds, 'GB/s': result.commonTerm.gbPerSec, 'rows/s': Math.round(gen.rows / commonSec) },
    ]);
    return result;
  } finally {
    api.close();
    await server.stop();
    server.cleanup();
  }
}
