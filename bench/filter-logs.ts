/**
 * filter-logs: FilterLogEvents with term patterns over N events (default 10 M) in one group, through
 * the real HTTP + SigV4 path. The events go straight into the logs ingest pipeline with the server
 * stopped (bench/lib/bulk-log-events-head.ts: the blocks and search filters real ingest writes), so
 * the run measures the query, not HTTP ingest. Reports GB/s of message bytes covered:
 *  - a substring in no message whose 4-grams are in nearly every block (so the message index
 *    cannot skip them): every message is read and searched;
 *  - a rare whole-word term, cold;
 *  - common term (2 % of events): paging through every match with nextToken, 10,000 per page.
 * Options: --rows N (10000000)
 */
import { bulkGroup } from './lib/bulk-group.ts';
import { duMb, printTable, rssMb } from './lib/stats.ts';
const GROUP = '/bench/filter';

export async function run(args: string[]) {
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 10_000_000;
  const { server, api, messageBytes, rows: total, generateSeconds } = await bulkGroup(GROUP, rows, { throughHead: true });
  const gen = { rows: total, messageBytes };
  const genSec = generateSeconds;
  try {
    const call = async (body: object) => {
      const r = await api.call('FilterLogEvents', JSON.stringify(body));
      if (r.status !== 200) throw new Error(`FilterLogEvents ${r.status}: ${r.body}`);
      return JSON.parse(r.body) as { events: { message: string }[]; nextToken?: string };
    };
    await call({ logGroupName: GROUP, filterPattern: 'WARMUP', limit: 1 });

    // ClickHouse remembers granules where a condition was false (query condition cache), so a
    // repeated pattern gets faster; every timed search below uses a pattern not seen before.
    const timeAll = async (pattern: string) => {
      const t = performance.now();
      let token: string | undefined;
      let found = 0;
      do {
        const page = await call({ logGroupName: GROUP, filterPattern: pattern, nextToken: token });
        found += page.events.length;
        token = page.nextToken;
      } while (token);
      return { seconds: (performance.now() - t) / 1000, found };
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Substrings in no message (latency_ms is below 900) made of 4-grams found in nearly every
    // granule: an ngram index on message (log-events-search-index.ts) skips almost nothing, every
    // message is read and searched. (An absent oddity like "QZX1" would be skipped whole by it.)
    const scans = [await timeAll('"latency_ms=1234"'), await timeAll('"latency_ms=2345"'), await timeAll('"latency_ms=3456"')];
    const scanSec = median(scans.map((r) => r.seconds));
    const scanFound = scans[0].found;
    // A rare whole word, first (cold) run.
    const rare = await timeAll('NEEDLE');
    const rareSec = rare.seconds;
    const rareFound = rare.found;

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
      fullScan: { matches: scanFound, seconds: +scanSec.toFixed(3), gbPerSec: +(gb / scanSec).toFixed(2), rowsPerSec: Math.round(gen.rows / scanSec) },
      rareTerm: { matches: rareFound, seconds: +rareSec.toFixed(3), gbPerSec: +(gb / rareSec).toFixed(2), rowsPerSec: Math.round(gen.rows / rareSec) },
      commonTerm: { matches, pages, seconds: +commonSec.toFixed(2), gbPerSec: +(gb / commonSec).toFixed(2), matchesPerSec: Math.round(matches / commonSec) },
      serverRssMb: Math.round(rss),
      dataDirMb: Math.round(duMb(server.dataDir)),
    };
    printTable(`filter-logs (FilterLogEvents over ${gen.rows.toLocaleString()} events, ${result.messageGb} GB of messages)`, [
      { query: "absent substrings (every message searched; median of 3 cold scans)", seconds: result.fullScan.seconds, 'GB/s': result.fullScan.gbPerSec, 'rows/s': result.fullScan.rowsPerSec },
      { query: "rare whole-word term 'NEEDLE' (cold, 1 match)", seconds: result.rareTerm.seconds, 'GB/s': result.rareTerm.gbPerSec, 'rows/s': result.rareTerm.rowsPerSec },
      { query: `common term 'ERROR' (${matches} matches, ${pages} pages)`, seconds: result.commonTerm.seconds, 'GB/s': result.commonTerm.gbPerSec, 'rows/s': Math.round(gen.rows / commonSec) },
    ]);
    return result;
  } finally {
    api.close();
    await server.stop();
    server.cleanup();
  }
}
