/**
 * Filter pattern matching throughput (the ingest hot path of metric and subscription filters).
 * Run: cd /work/main && node --import tsx src/services/logs/filter-pattern/bench.ts [messages]
 * Deterministic data (seeded PRNG); prints one table: messages evaluated per second per pattern.
 */
import { parseFilterPattern } from './parse.ts';
import { compileFilterPattern } from './match.ts';
import { rng } from '../../../../bench/lib/rng.ts';

const N = Number(process.argv[2] ?? 1_000_000);

const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
const PATHS = ['/index.html', '/api/v1/users', '/static/app.js', '/login', '/api/v1/orders/42'];
const STATUS = [200, 200, 200, 201, 301, 404, 500, 503];

function textLines(n: number, r: () => number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const lvl = LEVELS[Math.floor(r() * LEVELS.length)]!;
    out[i] = `2024-05-01T12:00:${String(i % 60).padStart(2, '0')}Z [${lvl}] req-${(r() * 1e9) | 0} ` +
      `handled ${PATHS[Math.floor(r() * PATHS.length)]} in ${(r() * 900) | 0} ms${lvl === 'ERROR' ? ' Exception: timeout' : ''}`;
  }
  return out;
}

function jsonLines(n: number, r: () => number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    out[i] = JSON.stringify({
      time: 1714564800000 + i, level: LEVELS[Math.floor(r() * LEVELS.length)], requestId: `req-${(r() * 1e9) | 0}`,
      eventType: r() < 0.3 ? 'UpdateTrail' : 'GetObject', latency: (r() * 900) | 0,
      user: { id: (r() * 1000) | 0, email: 'user@example.com' }, path: PATHS[Math.floor(r() * PATHS.length)],
    });
  }
  return out;
}

function apacheLines(n: number, r: () => number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    out[i] = `10.0.${(r() * 255) | 0}.${(r() * 255) | 0} - frank [10/Oct/2000:13:${String(i % 60).padStart(2, '0')}:15 -0700] ` +
      `"GET ${PATHS[Math.floor(r() * PATHS.length)]} HTTP/1.1" ${STATUS[Math.floor(r() * STATUS.length)]} ${(r() * 5000) | 0}`;
  }
  return out;
}

const SCENARIOS: { name: string; pattern: string; data: (n: number, r: () => number) => string[] }[] = [
  { name: 'term', pattern: 'ERROR Exception', data: textLines },
  { name: 'terms ?/-', pattern: '?ERROR ?WARN', data: textLines },
  { name: 'regex', pattern: '%in [0-9]{3} ms$%', data: textLines },
  { name: 'json =', pattern: '{ $.eventType = "UpdateTrail" && $.latency > 500 }', data: jsonLines },
  { name: 'json on text', pattern: '{ $.eventType = "UpdateTrail" }', data: textLines },
  { name: 'json $.*', pattern: '{ $.* = %^req-1% }', data: jsonLines },
  { name: 'json [\'name\']', pattern: "{ $.['eventType'] = \"UpdateTrail\" }", data: jsonLines },
  { name: 'space-delimited', pattern: '[ip, id, user, timestamp, request = *html*, status_code = 4* || status_code = 5*, bytes > 1000]', data: apacheLines },
  { name: 'space-delimited ...', pattern: '[..., status_code = 404, bytes]', data: apacheLines },
];

const rows: { scenario: string; pattern: string; messages: number; matched: number; perSecond: string; nsPerMessage: string }[] = [];
for (const s of SCENARIOS) {
  // Template literals build rope strings; ingested messages (from JSON.parse) are flat, so flatten first.
  const messages = s.data(N, rng(42)).map((m) => JSON.parse(JSON.stringify(m)) as string);
  const compiled = compileFilterPattern(parseFilterPattern(s.pattern));
  for (let i = 0; i < Math.min(N, 50_000); i++) compiled.matches(messages[i]!); // warm-up
  const t0 = process.hrtime.bigint();
  let matched = 0;
  for (let i = 0; i < N; i++) if (compiled.matches(messages[i]!)) matched++;
  const ns = Number(process.hrtime.bigint() - t0);
  rows.push({
    scenario: s.name, pattern: s.pattern, messages: N, matched,
    perSecond: `${((N / ns) * 1e9 / 1e6).toFixed(2)} M/s`, nsPerMessage: (ns / N).toFixed(0),
  });
}
console.table(rows);
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
